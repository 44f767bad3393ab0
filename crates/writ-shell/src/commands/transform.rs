//! Programs that turn files into other files: archivers with command
//! words of their own (`7z a`, `rar a`), document converters and PDF tools
//! (LibreOffice, pandoc, pdftk, qpdf, Ghostscript, mutool, poppler,
//! ocrmypdf, img2pdf, wkhtmltopdf, ImageMagick), `age`, and the splitters
//! (`split`, `csplit`). Each reads its inputs and writes its output, and
//! the output carries what went in (`Outcome::contents`), so a later upload
//! of it in the same line sends the inputs. A splitter's pieces are one
//! file named by the pattern of their names, which a later glob or a
//! piece's own name finds ([`names_written_file`]).

use std::borrow::Cow;

use super::{Invocation, Nested, Outcome};
use crate::args::{self, Arg, Item, Spec};
use crate::{FileRef, Payload, flow, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    Some(match inv.program {
        "7z" | "7za" | "7zr" | "7zz" => seven_zip(inv),
        "rar" | "unrar" => rar(inv),
        "soffice" | "libreoffice" | "lowriter" | "localc" | "loimpress" | "lodraw" => office(inv),
        "pdftk" => pdftk(inv),
        "qpdf" => qpdf(inv),
        "gs" | "gsc" | "gswin64c" | "gswin32c" => ghostscript(inv),
        "split" | "gsplit" => split(inv),
        "csplit" | "gcsplit" => csplit(inv),
        "magick" | "convert" | "montage" | "composite" | "compare" | "mogrify" | "gm" => {
            image_magick(inv)?
        }
        _ => converter(inv)?,
    })
}

/// Where a transform's output goes.
pub(super) enum Destination {
    File(String),
    Stdout,
    Nothing,
}

impl Destination {
    /// An output as written: `-` is standard output.
    pub(super) fn named(inv: &Invocation<'_>, text: &str) -> Self {
        if text == "-" {
            Self::Stdout
        } else {
            Self::File(inv.path(text))
        }
    }
}

/// Reads `text` (standard input for `-`) into `carried`.
pub(super) fn take_input(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    carried: &mut Payload,
    text: &str,
    recursive: bool,
) {
    if text == "-" {
        flow::merge(carried, inv.stdin);
        return;
    }
    let path = inv.path(text);
    outcome.read(path.clone(), recursive);
    flow::push_file(
        carried,
        FileRef {
            path,
            recursive,
            excludes: Vec::new(),
        },
    );
}

/// Writes `carried` to `output`: a file is written and filled with it, or
/// standard output carries it.
pub(super) fn emit(outcome: &mut Outcome, output: Destination, carried: Payload) {
    match output {
        Destination::File(path) => {
            outcome.contents.push((path.clone(), carried));
            outcome.write(path, false);
            outcome.stdout.get_or_insert_with(Payload::default);
        }
        Destination::Stdout => match &mut outcome.stdout {
            Some(stdout) => flow::merge(stdout, &carried),
            None => outcome.stdout = Some(carried),
        },
        Destination::Nothing => {
            outcome.stdout.get_or_insert_with(Payload::default);
        }
    }
}

/// `path` with its last extension replaced by `extension` (`a/b.pdf` to
/// `a/b.txt`), or `extension` added when it has none.
fn with_extension(path: &str, extension: &str) -> String {
    let name = paths::basename(path);
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => path
            .get(..path.len() - name.len() + stem.len())
            .unwrap_or(path),
        _ => path.trim_end_matches('/'),
    };
    format!("{stem}.{extension}")
}

// ---------------------------------------------------------------------
// Archivers: `7z COMMAND [-SWITCHES] ARCHIVE [FILES]`, `rar` alike.

/// What an archiver's command word does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ArchiveCommand {
    /// Adds files (`a`, `u`; rar's `f`), or moves them in (rar's `m`).
    Add { moving: bool },
    /// Extracts (`x`, `e`), or prints (rar's `p`).
    Extract { printing: bool },
    /// Changes the archive itself (`d`, `rn`).
    Change,
    /// Reads it (`l`, `t`, ...).
    Inspect,
}

/// The command words and switches of one archiver.
struct Archiver {
    command: fn(&str) -> ArchiveCommand,
    /// The extension added to an archive name that has none.
    extension: fn(&[&str]) -> Option<&'static str>,
    /// Switches whose text after this prefix is the extraction directory.
    output_dir: &'static [&'static str],
    /// Switches that delete the files once archived.
    deletes: &'static [&'static str],
    /// Switches that send the result to standard output.
    to_stdout: &'static [&'static str],
    /// Switches that take the input from standard input (a prefix).
    from_stdin: &'static str,
}

fn seven_zip_command(word: &str) -> ArchiveCommand {
    match word.to_ascii_lowercase().as_str() {
        "a" | "u" => ArchiveCommand::Add { moving: false },
        "x" | "e" => ArchiveCommand::Extract { printing: false },
        "d" | "rn" => ArchiveCommand::Change,
        _ => ArchiveCommand::Inspect,
    }
}

/// 7-Zip adds its type's extension to an archive name without one, unless
/// `-sae` asks for the exact name.
fn seven_zip_extension(switches: &[&str]) -> Option<&'static str> {
    if switches.iter().any(|s| s.eq_ignore_ascii_case("-sae")) {
        return None;
    }
    let kind = switches
        .iter()
        .rev()
        .find_map(|s| s.strip_prefix("-t"))
        .map(str::to_ascii_lowercase);
    Some(match kind.as_deref() {
        None | Some("7z") => "7z",
        Some("zip") => "zip",
        Some("tar") => "tar",
        Some("gzip" | "gz") => "gz",
        Some("bzip2" | "bz2") => "bz2",
        Some("xz") => "xz",
        Some("wim") => "wim",
        Some(_) => return None,
    })
}

fn rar_command(word: &str) -> ArchiveCommand {
    match word.to_ascii_lowercase().as_str() {
        "a" | "u" | "f" => ArchiveCommand::Add { moving: false },
        "m" => ArchiveCommand::Add { moving: true },
        "x" | "e" => ArchiveCommand::Extract { printing: false },
        "p" => ArchiveCommand::Extract { printing: true },
        "d" | "rn" | "c" | "ch" | "k" | "r" | "rr" | "rc" | "s" => ArchiveCommand::Change,
        _ => ArchiveCommand::Inspect,
    }
}

fn rar_extension(_switches: &[&str]) -> Option<&'static str> {
    Some("rar")
}

const SEVEN_ZIP: Archiver = Archiver {
    command: seven_zip_command,
    extension: seven_zip_extension,
    output_dir: &["-o"],
    deletes: &["-sdel"],
    to_stdout: &["-so"],
    from_stdin: "-si",
};

const RAR: Archiver = Archiver {
    command: rar_command,
    extension: rar_extension,
    output_dir: &["-op"],
    deletes: &["-df"],
    to_stdout: &[],
    from_stdin: "-si",
};

fn seven_zip(inv: &Invocation<'_>) -> Outcome {
    archive(inv, &SEVEN_ZIP)
}

fn rar(inv: &Invocation<'_>) -> Outcome {
    archive(inv, &RAR)
}

/// `7z|rar COMMAND [-SWITCHES] ARCHIVE [FILES|@LIST]... [DIR/]`: switches
/// may stand anywhere and carry their values attached (`-pSECRET`,
/// `-o/tmp/x`); `--` ends them. Adding reads the files (whole trees; the
/// working directory when none is named) into the archive.
fn archive(inv: &Invocation<'_>, archiver: &Archiver) -> Outcome {
    let mut switches: Vec<&str> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    let mut only_words = false;
    for arg in inv.args {
        let text = arg.text.as_str();
        if !only_words && text == "--" {
            only_words = true;
        } else if !only_words && text.len() > 1 && text.starts_with('-') {
            switches.push(text);
        } else {
            words.push(text);
        }
    }
    let mut outcome = Outcome::default();
    let [command, name, rest @ ..] = words.as_slice() else {
        return outcome;
    };
    let command = if inv.program == "unrar" {
        match rar_command(command) {
            ArchiveCommand::Add { .. } | ArchiveCommand::Change => ArchiveCommand::Inspect,
            other => other,
        }
    } else {
        (archiver.command)(command)
    };
    let has = |names: &[&str]| {
        switches
            .iter()
            .any(|s| names.iter().any(|n| s.eq_ignore_ascii_case(n)))
    };
    let to_stdout = has(archiver.to_stdout);
    match command {
        ArchiveCommand::Add { moving } => {
            let mut carried = Payload::default();
            let mut named = false;
            for word in rest {
                named = true;
                if let Some(list) = word.strip_prefix('@') {
                    outcome.read(inv.path(list), false);
                    continue;
                }
                take_input(inv, &mut outcome, &mut carried, word, true);
                if moving || has(archiver.deletes) {
                    outcome.delete(inv.path(word), true);
                }
            }
            if switches.iter().any(|s| s.starts_with(archiver.from_stdin)) {
                named = true;
                flow::merge(&mut carried, inv.stdin);
            }
            if !named {
                take_input(inv, &mut outcome, &mut carried, ".", true);
            }
            let output = if to_stdout {
                Destination::Stdout
            } else {
                let path = inv.path(name);
                match (archiver.extension)(&switches) {
                    Some(ext) if !paths::basename(&path).contains('.') => {
                        Destination::File(format!("{path}.{ext}"))
                    }
                    _ => Destination::File(path),
                }
            };
            emit(&mut outcome, output, carried);
        }
        ArchiveCommand::Extract { printing } => {
            let path = inv.path(name);
            outcome.read(path.clone(), false);
            if printing || to_stdout {
                emit(
                    &mut outcome,
                    Destination::Stdout,
                    flow::file_payload(path, false),
                );
                return outcome;
            }
            let switch_dir = switches.iter().rev().find_map(|s| {
                archiver
                    .output_dir
                    .iter()
                    .find_map(|prefix| s.strip_prefix(prefix))
            });
            let trailing_dir = rest
                .last()
                .filter(|w| w.ends_with('/') || w.ends_with('\\'));
            let dir = switch_dir
                .or(trailing_dir.copied())
                .map_or_else(|| inv.cwd.to_owned(), |d| inv.path(d));
            outcome.write(dir, false);
            outcome.stdout = Some(Payload::default());
        }
        ArchiveCommand::Change => {
            let path = inv.path(name);
            outcome.read(path.clone(), false);
            outcome.write(path, false);
        }
        ArchiveCommand::Inspect => outcome.read(inv.path(name), false),
    }
    outcome
}

// ---------------------------------------------------------------------
// The table: converters whose inputs and output are found alike.

/// How a converter writes its options.
enum Syntax {
    /// getopt: short clusters and `--long[=value]`.
    Getopt(Spec<'static>),
    /// Every option one word, these taking the next as value (poppler's
    /// `-enc UTF-8`, `-layout`).
    Words(&'static [&'static str]),
}

/// Where a converter's output is named.
#[derive(Clone, Copy)]
enum Output {
    /// The value of one of these options (`pandoc -o OUT`).
    Option(&'static [&'static str]),
    /// The last of two or more positional arguments (`pdfunite IN... OUT`).
    Last,
    /// The second positional argument (`pdftotext IN [OUT]`).
    Second,
}

/// What a converter writes when the command names no output.
#[derive(Clone, Copy)]
enum Otherwise {
    Stdout,
    /// This file in the working directory (`mutool merge`'s `out.pdf`).
    File(&'static str),
    /// The first input with this extension (`pdftotext a.pdf` writes `a.txt`).
    Extension(&'static str),
    /// Nothing: it only inspects, or its output is required.
    Nothing,
}

/// One converter: a program (and subcommand), how its inputs and output
/// are found.
struct Converter {
    program: &'static str,
    /// The first argument this row is for (`mutool clean`), if any.
    subcommand: Option<&'static str>,
    syntax: Syntax,
    output: Output,
    otherwise: Otherwise,
    /// Options whose values are inputs too, copied into the output
    /// (pandoc's `--include-in-header FILE`).
    includes: &'static [&'static str],
    /// Options whose values are files it reads but does not copy (age's
    /// `-i KEY`, pandoc's `--template`).
    reads: &'static [&'static str],
    /// Options whose values are further outputs of the same contents
    /// (ocrmypdf's `--sidecar TEXT`).
    also_writes: &'static [&'static str],
    /// Positionals may be page ranges (`1-3,N`), not files.
    pages: bool,
    /// Positional words that are keywords, not files (wkhtmltopdf's `toc`).
    keywords: &'static [&'static str],
}

/// A row with no extras.
const BASE: Converter = Converter {
    program: "",
    subcommand: None,
    syntax: Syntax::Words(&[]),
    output: Output::Last,
    otherwise: Otherwise::Nothing,
    includes: &[],
    reads: &[],
    also_writes: &[],
    pages: false,
    keywords: &[],
};

/// poppler's options that take a value.
const POPPLER_VALUES: &[&str] = &[
    "-f",
    "-l",
    "-r",
    "-rx",
    "-ry",
    "-x",
    "-y",
    "-W",
    "-H",
    "-sz",
    "-scale-to",
    "-scale-to-x",
    "-scale-to-y",
    "-fixed",
    "-enc",
    "-eol",
    "-opw",
    "-upw",
    "-paper",
    "-paperw",
    "-paperh",
    "-jpegopt",
    "-tiffcompression",
    "-icc",
    "-antialias",
    "-thinlinemode",
    "-colspacing",
];

pub(super) const PANDOC_VALUES: &[&str] = &[
    "from",
    "read",
    "to",
    "write",
    "output",
    "data-dir",
    "metadata",
    "metadata-file",
    "defaults",
    "variable",
    "template",
    "wrap",
    "columns",
    "toc-depth",
    "number-offset",
    "top-level-division",
    "extract-media",
    "resource-path",
    "include-in-header",
    "include-before-body",
    "include-after-body",
    "highlight-style",
    "syntax-definition",
    "dpi",
    "eol",
    "tab-stop",
    "shift-heading-level-by",
    "base-header-level",
    "indented-code-classes",
    "default-image-extension",
    "filter",
    "lua-filter",
    "reference-doc",
    "reference-location",
    "markdown-headings",
    "id-prefix",
    "title-prefix",
    "css",
    "epub-cover-image",
    "epub-metadata",
    "epub-embed-font",
    "epub-subdirectory",
    "epub-chapter-level",
    "split-level",
    "chunk-template",
    "pdf-engine",
    "pdf-engine-opt",
    "bibliography",
    "csl",
    "citation-abbreviations",
    "email-obfuscation",
    "slide-level",
    "ipynb-output",
    "track-changes",
    "log",
    "request-header",
    "abbreviations",
    "print-default-template",
    "print-default-data-file",
];

const MUTOOL_OUT: &[&str] = &["-o"];

const CONVERTERS: &[Converter] = &[
    Converter {
        program: "pandoc",
        syntax: Syntax::Getopt(Spec {
            short: "frtwodMVDcHBAFTL",
            long: PANDOC_VALUES,
            stop_after: None,
        }),
        output: Output::Option(&["-o", "--output"]),
        otherwise: Otherwise::Stdout,
        includes: &[
            "-H",
            "-B",
            "-A",
            "--include-in-header",
            "--include-before-body",
            "--include-after-body",
            "--metadata-file",
        ],
        reads: &[
            "-d",
            "--defaults",
            "--template",
            "--reference-doc",
            "-c",
            "--css",
            "-L",
            "--lua-filter",
            "--bibliography",
            "--csl",
            "--abbreviations",
        ],
        ..BASE
    },
    // poppler: `pdftotext [OPTS] IN [OUT]` (default IN as `.txt`),
    // `pdfunite IN... OUT`, `pdfseparate IN PATTERN`, `pdftocairo`/
    // `pdftoppm -png IN [OUT_ROOT]`.
    Converter {
        program: "pdftotext",
        syntax: Syntax::Words(POPPLER_VALUES),
        output: Output::Second,
        otherwise: Otherwise::Extension("txt"),
        ..BASE
    },
    Converter {
        program: "pdftohtml",
        syntax: Syntax::Words(POPPLER_VALUES),
        output: Output::Second,
        otherwise: Otherwise::Extension("html"),
        ..BASE
    },
    Converter {
        program: "pdfunite",
        ..BASE
    },
    Converter {
        program: "pdfseparate",
        syntax: Syntax::Words(POPPLER_VALUES),
        ..BASE
    },
    Converter {
        program: "pdftocairo",
        syntax: Syntax::Words(POPPLER_VALUES),
        output: Output::Second,
        ..BASE
    },
    Converter {
        program: "pdftoppm",
        syntax: Syntax::Words(POPPLER_VALUES),
        output: Output::Second,
        otherwise: Otherwise::Stdout,
        ..BASE
    },
    // mutool: `clean|poster IN [OUT] [PAGES]` and `merge|create [-o OUT]`
    // write `out.pdf` unless told; `convert|draw -o OUT IN [PAGES]`.
    Converter {
        program: "mutool",
        subcommand: Some("clean"),
        syntax: Syntax::Getopt(Spec {
            short: "pO",
            long: &[],
            stop_after: None,
        }),
        output: Output::Second,
        otherwise: Otherwise::File("out.pdf"),
        pages: true,
        ..BASE
    },
    Converter {
        program: "mutool",
        subcommand: Some("poster"),
        syntax: Syntax::Getopt(Spec {
            short: "pxy",
            long: &[],
            stop_after: None,
        }),
        output: Output::Second,
        otherwise: Otherwise::File("out.pdf"),
        ..BASE
    },
    Converter {
        program: "mutool",
        subcommand: Some("merge"),
        syntax: Syntax::Getopt(Spec {
            short: "oO",
            long: &[],
            stop_after: None,
        }),
        output: Output::Option(MUTOOL_OUT),
        otherwise: Otherwise::File("out.pdf"),
        pages: true,
        ..BASE
    },
    Converter {
        program: "mutool",
        subcommand: Some("create"),
        syntax: Syntax::Getopt(Spec {
            short: "oO",
            long: &[],
            stop_after: None,
        }),
        output: Output::Option(MUTOOL_OUT),
        otherwise: Otherwise::File("out.pdf"),
        ..BASE
    },
    Converter {
        program: "mutool",
        subcommand: Some("convert"),
        syntax: Syntax::Getopt(Spec {
            short: "opAWHSUFOo",
            long: &[],
            stop_after: None,
        }),
        output: Output::Option(MUTOOL_OUT),
        pages: true,
        ..BASE
    },
    Converter {
        program: "mutool",
        subcommand: Some("draw"),
        syntax: Syntax::Getopt(Spec {
            short: "opRrwhFBcGUWHSTAOyEe",
            long: &[],
            stop_after: None,
        }),
        output: Output::Option(MUTOOL_OUT),
        otherwise: Otherwise::Stdout,
        pages: true,
        ..BASE
    },
    // `ocrmypdf [OPTS] IN OUT`, its text also to `--sidecar FILE`.
    Converter {
        program: "ocrmypdf",
        syntax: Syntax::Getopt(Spec {
            short: "ljO",
            long: &[
                "language",
                "jobs",
                "optimize",
                "image-dpi",
                "output-type",
                "sidecar",
                "pdf-renderer",
                "jpeg-quality",
                "png-quality",
                "jbig2-threshold",
                "pages",
                "title",
                "author",
                "subject",
                "keywords",
                "tesseract-config",
                "tesseract-pagesegmode",
                "tesseract-oem",
                "tesseract-thresholding",
                "tesseract-timeout",
                "tesseract-non-ocr-timeout",
                "tesseract-downsample-above",
                "rotate-pages-threshold",
                "user-words",
                "user-patterns",
                "unpaper-args",
                "skip-big",
                "max-image-mpixels",
                "pdfa-image-compression",
                "fast-web-view",
                "plugin",
                "color-conversion-strategy",
                "oversample",
                "mode",
            ],
            stop_after: None,
        }),
        output: Output::Second,
        reads: &["--user-words", "--user-patterns", "--tesseract-config"],
        also_writes: &["--sidecar"],
        ..BASE
    },
    // `img2pdf IMG... [-o OUT]`: standard output unless told.
    Converter {
        program: "img2pdf",
        syntax: Syntax::Getopt(Spec {
            short: "oSsbfC",
            long: &[
                "output",
                "pagesize",
                "imgsize",
                "border",
                "fit",
                "colorspace",
                "title",
                "author",
                "creator",
                "producer",
                "creationdate",
                "moddate",
                "subject",
                "keywords",
                "viewer-panes",
                "viewer-initial-page",
                "viewer-magnification",
                "viewer-page-layout",
                "crop-border",
                "bleed-border",
                "trim-border",
                "art-border",
                "engine",
                "rotation",
                "from-file",
            ],
            stop_after: None,
        }),
        output: Output::Option(&["-o", "--output"]),
        otherwise: Otherwise::Stdout,
        reads: &["--from-file"],
        ..BASE
    },
    // `wkhtmltopdf [OPTS] PAGE... OUT`, pages local files or URLs.
    Converter {
        program: "wkhtmltopdf",
        syntax: Syntax::Getopt(Spec {
            short: "sOTBLRdp",
            long: &[
                "page-size",
                "page-height",
                "page-width",
                "orientation",
                "margin-top",
                "margin-bottom",
                "margin-left",
                "margin-right",
                "title",
                "dpi",
                "image-dpi",
                "image-quality",
                "outline-depth",
                "copies",
                "zoom",
                "javascript-delay",
                "window-status",
                "encoding",
                "user-style-sheet",
                "header-html",
                "footer-html",
                "header-center",
                "header-left",
                "header-right",
                "footer-center",
                "footer-left",
                "footer-right",
                "header-font-name",
                "header-font-size",
                "footer-font-name",
                "footer-font-size",
                "header-spacing",
                "footer-spacing",
                "username",
                "password",
                "proxy",
                "cookie-jar",
                "load-error-handling",
                "load-media-error-handling",
                "minimum-font-size",
                "page-offset",
                "run-script",
                "xsl-style-sheet",
                "toc-header-text",
                "toc-level-indentation",
                "toc-text-size-shrink",
                "viewport-size",
                "log-level",
                "cache-dir",
                "allow",
                "bypass-proxy-for",
                "cookie",
                "custom-header",
                "post",
                "post-file",
                "replace",
            ],
            stop_after: None,
        }),
        keywords: &["toc", "cover", "page"],
        ..BASE
    },
    // `age [-e|-d] [-r R] [-R FILE] [-i KEY] [-a] [-o OUT] [IN]`.
    Converter {
        program: "age",
        syntax: Syntax::Getopt(Spec {
            short: "orRij",
            long: &["output", "recipient", "recipients-file", "identity"],
            stop_after: None,
        }),
        output: Output::Option(&["-o", "--output"]),
        otherwise: Otherwise::Stdout,
        reads: &["-R", "--recipients-file", "-i", "--identity"],
        ..BASE
    },
];

/// Splits arguments whose options are whole words (`-enc UTF-8`) into
/// options and positionals.
fn parse_words<'a>(args: &'a [Arg], valued: &[&str]) -> Vec<Item<'a>> {
    let mut items = Vec::with_capacity(args.len());
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let text = arg.text.as_str();
        if text.len() > 1 && text.starts_with('-') {
            let value = if valued.contains(&text) {
                rest.next().map(Cow::Borrowed)
            } else {
                None
            };
            items.push(Item::Opt {
                name: Cow::Borrowed(text),
                value,
            });
        } else {
            items.push(Item::Pos(arg));
        }
    }
    items
}

/// A page selection (`1-3,7,N`), not a file.
fn is_page_range(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '-' | 'N'))
}

fn converter(inv: &Invocation<'_>) -> Option<Outcome> {
    let first = inv.args.first().map(|a| a.text.as_str());
    let row = CONVERTERS.iter().find(|row| {
        row.program == inv.program && row.subcommand.is_none_or(|s| first == Some(s))
    })?;
    let args = match row.subcommand {
        Some(_) => inv.args.get(1..).unwrap_or_default(),
        None => inv.args,
    };
    let items = match &row.syntax {
        Syntax::Getopt(spec) => args::parse(args, spec),
        Syntax::Words(valued) => parse_words(args, valued),
    };
    let files: Vec<&str> = args::positionals(&items)
        .into_iter()
        .map(|a| a.text.as_str())
        .filter(|w| !(row.pages && is_page_range(w)))
        .filter(|w| !row.keywords.contains(w) && !w.contains("://"))
        .collect();
    let (inputs, named): (&[&str], Option<&str>) = match row.output {
        Output::Option(names) => (&files, args::value(&items, names).map(|v| v.text.as_str())),
        Output::Last => match files.split_last() {
            Some((out, inputs)) if !inputs.is_empty() => (inputs, Some(*out)),
            _ => (&files, None),
        },
        Output::Second => (files.get(..1).unwrap_or_default(), files.get(1).copied()),
    };
    let mut outcome = Outcome::default();
    for file in args::values(&items, row.reads) {
        outcome.read(inv.path(&file.text), false);
    }
    let mut carried = Payload::default();
    for input in inputs {
        take_input(inv, &mut outcome, &mut carried, input, false);
    }
    for file in args::values(&items, row.includes) {
        take_input(inv, &mut outcome, &mut carried, &file.text, false);
    }
    if inputs.is_empty() {
        flow::merge(&mut carried, inv.stdin);
    }
    for file in args::values(&items, row.also_writes) {
        emit(
            &mut outcome,
            Destination::named(inv, &file.text),
            carried.clone(),
        );
    }
    let output = match (named, row.otherwise) {
        (Some(text), _) => Destination::named(inv, text),
        (None, Otherwise::Stdout) => Destination::Stdout,
        (None, Otherwise::File(name)) => Destination::File(inv.path(name)),
        (None, Otherwise::Extension(ext)) => match inputs.first().filter(|i| **i != "-") {
            Some(input) => Destination::File(with_extension(&inv.path(input), ext)),
            None => Destination::Stdout,
        },
        (None, Otherwise::Nothing) => Destination::Nothing,
    };
    emit(&mut outcome, output, carried);
    Some(outcome)
}

// ---------------------------------------------------------------------
// Converters with a syntax of their own.

/// LibreOffice: `soffice [--headless] --convert-to EXT[:FILTER] [--outdir
/// DIR] FILE...` writes `DIR/STEM.EXT` for each file (DIR defaults to the
/// working directory); `--print-to-file` writes `STEM.ps` alike; `--cat`
/// prints the files' text. Options are also written with one dash.
fn office(inv: &Invocation<'_>) -> Outcome {
    let mut extension: Option<&str> = None;
    let mut outdir: Option<&str> = None;
    let mut printing = false;
    let mut files: Vec<&str> = Vec::new();
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        let Some(option) = text
            .strip_prefix("--")
            .or_else(|| text.strip_prefix('-'))
            .filter(|_| text.len() > 1)
        else {
            files.push(text);
            continue;
        };
        let (name, attached) = match option.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (option, None),
        };
        let mut value = || attached.or_else(|| words.next().map(|w| w.text.as_str()));
        match name {
            "convert-to" => {
                extension = value().and_then(|v| v.split(':').next());
            }
            "outdir" => outdir = value(),
            "cat" => printing = true,
            "print-to-file" => extension = extension.or(Some("ps")),
            "printer-name" | "pt" | "infilter" | "convert-images-to" => {
                value();
            }
            _ => {}
        }
    }
    let mut outcome = Outcome::default();
    let dir = outdir.map_or_else(|| inv.cwd.to_owned(), |d| inv.path(d));
    for file in files {
        let mut carried = Payload::default();
        take_input(inv, &mut outcome, &mut carried, file, false);
        if printing {
            emit(&mut outcome, Destination::Stdout, carried);
        } else if let Some(ext) = extension {
            let name = with_extension(paths::basename(file), ext);
            let path = paths::resolve(&dir, inv.home, &name);
            emit(&mut outcome, Destination::File(path), carried);
        }
    }
    outcome
}

/// pdftk's operations.
const PDFTK_OPERATIONS: &[&str] = &[
    "cat",
    "shuffle",
    "burst",
    "rotate",
    "generate_fdf",
    "fill_form",
    "background",
    "multibackground",
    "stamp",
    "multistamp",
    "dump_data",
    "dump_data_utf8",
    "dump_data_fields",
    "dump_data_fields_utf8",
    "dump_data_annots",
    "update_info",
    "update_info_utf8",
    "attach_files",
    "unpack_files",
];

/// pdftk operations whose arguments are files that go into the output.
const PDFTK_FILE_OPERATIONS: &[&str] = &[
    "fill_form",
    "background",
    "multibackground",
    "stamp",
    "multistamp",
    "update_info",
    "update_info_utf8",
    "attach_files",
];

/// `pdftk [H=]IN... [input_pw PW...] [OPERATION ARGS...] [output OUT]
/// [OUTPUT_OPTIONS]`: inputs before the operation (a handle `A=` before
/// the name), page ranges after it, and the output after `output`.
fn pdftk(inv: &Invocation<'_>) -> Outcome {
    #[derive(PartialEq)]
    enum Phase {
        Inputs,
        Passwords,
        Arguments { files: bool },
        Output,
        Done,
    }
    let mut phase = Phase::Inputs;
    let mut outcome = Outcome::default();
    let mut carried = Payload::default();
    let mut output: Option<&str> = None;
    for word in inv.args {
        let text = word.text.as_str();
        if phase != Phase::Output {
            if text == "output" {
                phase = Phase::Output;
                continue;
            }
            if text == "input_pw" {
                phase = Phase::Passwords;
                continue;
            }
            if PDFTK_OPERATIONS.contains(&text) {
                phase = Phase::Arguments {
                    files: PDFTK_FILE_OPERATIONS.contains(&text),
                };
                continue;
            }
        }
        match phase {
            Phase::Inputs => {
                let file = match text.split_once('=') {
                    Some((handle, file))
                        if !handle.is_empty() && handle.chars().all(|c| c.is_ascii_uppercase()) =>
                    {
                        file
                    }
                    _ => text,
                };
                if file != "PROMPT" {
                    take_input(inv, &mut outcome, &mut carried, file, false);
                }
            }
            // `attach_files F... to_page N`: the page is no file.
            Phase::Arguments { files: true }
                if !matches!(text, "to_page" | "PROMPT")
                    && !text.chars().all(|c| c.is_ascii_digit()) =>
            {
                take_input(inv, &mut outcome, &mut carried, text, false);
            }
            Phase::Output => {
                output = Some(text);
                phase = Phase::Done;
            }
            _ => {}
        }
    }
    let output = match output {
        Some(text) if text != "PROMPT" => Destination::named(inv, text),
        _ => Destination::Stdout,
    };
    emit(&mut outcome, output, carried);
    outcome
}

/// qpdf options that open a bracket closed by `--`, and whether the files
/// named inside go into the output.
const QPDF_BRACKETS: &[(&str, bool)] = &[
    ("--encrypt", false),
    ("--pages", true),
    ("--overlay", true),
    ("--underlay", true),
    ("--add-attachment", true),
    ("--copy-attachments-from", true),
];

/// `qpdf [OPTS] IN|--empty [OPTS] OUT|--replace-input`: options may stand
/// anywhere, take their values after `=`, and some open a bracket that
/// `--` closes (`--encrypt U O BITS --`, `--pages FILE RANGE... --`), whose
/// words are no main positionals.
fn qpdf(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut carried = Payload::default();
    let mut positionals: Vec<&str> = Vec::new();
    let mut bracket: Option<bool> = None;
    let mut empty = false;
    let mut replace = false;
    for word in inv.args {
        let text = word.text.as_str();
        if let Some(files) = bracket {
            if text == "--" {
                bracket = None;
            } else if files && !text.starts_with('-') && text != "." && !is_qpdf_range(text) {
                take_input(inv, &mut outcome, &mut carried, text, false);
            }
            continue;
        }
        let name = text.split_once('=').map_or(text, |(name, _)| name);
        if let Some((_, files)) = QPDF_BRACKETS.iter().find(|(n, _)| *n == name) {
            bracket = Some(*files);
            continue;
        }
        match text {
            "--empty" => empty = true,
            "--replace-input" => replace = true,
            _ if text.len() > 1 && text.starts_with('-') => {}
            _ => positionals.push(text),
        }
    }
    let mut positionals = positionals.into_iter();
    let input = if empty { None } else { positionals.next() };
    if let Some(input) = input {
        take_input(inv, &mut outcome, &mut carried, input, false);
    }
    let output = match (replace, positionals.next()) {
        (true, _) => input.map(|i| Destination::File(inv.path(i))),
        (false, Some(out)) => Some(Destination::named(inv, out)),
        (false, None) => None,
    };
    if let Some(output) = output {
        emit(&mut outcome, output, carried);
    }
    outcome
}

/// A qpdf page range (`1-5`, `z`, `r1-r3`, `1-z:odd`).
fn is_qpdf_range(word: &str) -> bool {
    let range = word.split_once(':').map_or(word, |(range, _)| range);
    !range.is_empty()
        && range
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '-' | 'z' | 'r' | 'x'))
}

/// Ghostscript: `gs [OPTS] [FILE]...` with `-o OUT` or `-sOutputFile=OUT`
/// (`-`, `%stdout` for standard output), `-f FILE` an input too, `-c
/// CODE...` PostScript up to the next option, and `@FILE` more options.
fn ghostscript(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut carried = Payload::default();
    let mut output: Option<&str> = None;
    let mut code = false;
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if let Some(file) = text.strip_prefix("-sOutputFile=") {
            output = Some(file);
            code = false;
        } else if text == "-o" || text == "-sOutputFile" {
            output = words.next().map(|w| w.text.as_str());
            code = false;
        } else if let Some(file) = text.strip_prefix("-o").filter(|f| !f.is_empty()) {
            output = Some(file);
            code = false;
        } else if text == "-f" {
            code = false;
        } else if text == "-c" {
            code = true;
        } else if text == "-I" {
            words.next();
        } else if let Some(list) = text.strip_prefix('@') {
            outcome.read(inv.path(list), false);
        } else if text.len() > 1 && text.starts_with('-') {
            code = false;
        } else if !code {
            take_input(inv, &mut outcome, &mut carried, text, false);
        }
    }
    let output = match output {
        Some("-" | "%stdout" | "%stdout%") => Destination::Stdout,
        Some(file) => Destination::File(inv.path(file)),
        None => Destination::Nothing,
    };
    emit(&mut outcome, output, carried);
    outcome
}

/// An ImageMagick file argument as a path: without a format prefix
/// (`png:out.png`) or a frame selection (`doc.pdf[0]`); `None` for a
/// built-in image (`xc:white`, `logo:`) or a format to standard output
/// (`info:`).
fn magick_file(word: &str) -> Option<&str> {
    let word = match word.split_once(':') {
        Some((format, rest))
            if format.len() > 1 && format.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            if rest.is_empty() || !paths::looks_like_path(rest) && rest != "-" {
                return None;
            }
            rest
        }
        _ => word,
    };
    Some(match word.split_once('[') {
        Some((file, _)) if !file.is_empty() && word.ends_with(']') => file,
        _ => word,
    })
}

/// An ImageMagick word that names an input file, as a path (`-` is
/// standard input); an operator's value (`50%`, `800x600`) is none.
fn magick_input(word: &str) -> Option<&str> {
    magick_file(word).filter(|f| *f == "-" || paths::looks_like_path(f))
}

/// ImageMagick and GraphicsMagick: `convert|magick [convert] IN... [OPS]
/// OUT` (also `montage`, `composite`, `compare`, `gm convert`): the last
/// word is the output, the path-like words before it the inputs (an
/// operator's value is no path: `-resize 50%`); `-write FILE` is one more
/// output; `mogrify` edits its inputs in place.
fn image_magick(inv: &Invocation<'_>) -> Option<Outcome> {
    let (tool, args) = match (inv.program, inv.args.first().map(|a| a.text.as_str())) {
        (
            "magick" | "gm",
            Some(tool @ ("convert" | "montage" | "composite" | "compare" | "mogrify" | "identify")),
        ) => (tool, inv.args.get(1..).unwrap_or_default()),
        ("gm", _) => return None,
        ("magick", _) => ("convert", inv.args),
        (tool, _) => (tool, inv.args),
    };
    // Windows' `convert D: /FS:NTFS` converts a file system, no files.
    if tool == "convert"
        && args.iter().any(|a| {
            a.text
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("/fs:"))
        })
    {
        return Some(Outcome::default());
    }
    let mut outcome = Outcome::default();
    let mut words: Vec<&str> = Vec::new();
    let mut extra: Vec<&str> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let text = arg.text.as_str();
        if text == "-write" {
            if let Some(file) = rest.next() {
                extra.push(&file.text);
            }
        } else if text.len() > 1 && (text.starts_with('-') || text.starts_with('+')) {
            continue;
        } else {
            words.push(text);
        }
    }
    if matches!(tool, "mogrify" | "identify") {
        for path in words.iter().filter_map(|w| magick_input(w)) {
            let path = inv.path(path);
            if tool == "mogrify" {
                outcome.write(path, false);
            } else {
                outcome.read(path, false);
            }
        }
        return Some(outcome);
    }
    let Some((last, inputs)) = words.split_last() else {
        return Some(outcome);
    };
    let mut carried = Payload::default();
    for input in inputs.iter().filter_map(|w| magick_input(w)) {
        take_input(inv, &mut outcome, &mut carried, input, false);
    }
    for file in extra.into_iter().chain(std::iter::once(*last)) {
        let output = match magick_file(file) {
            Some(file) => Destination::named(inv, file),
            None => Destination::Stdout,
        };
        emit(&mut outcome, output, carried.clone());
    }
    Some(outcome)
}

// ---------------------------------------------------------------------
// Splitters: the pieces of their input, under names of one pattern.

/// Options of GNU and BSD `split` that take a value.
const SPLIT_SPEC: Spec<'static> = Spec {
    short: "abClnpt",
    long: &[
        "suffix-length",
        "additional-suffix",
        "bytes",
        "line-bytes",
        "lines",
        "number",
        "separator",
        "filter",
    ],
    stop_after: None,
};

/// `split [OPTION]... [FILE [PREFIX]]` (GNU and BSD): FILE (standard input
/// when absent or `-`) cut into pieces named PREFIX (`x`) and a suffix of
/// two letters (`-a N`, `--suffix-length=N`: N; without it GNU widens the
/// suffix as pieces run out), digits (`-d`, `--numeric-suffixes[=FROM]`)
/// or hex digits (`-x`, `--hex-suffixes[=FROM]`), then
/// `--additional-suffix=SUF`. Which bytes go to which piece is not known,
/// so every piece carries the whole input, and the pieces are written as
/// one file named by their pattern (`/tmp/sp_[0-9][0-9][0-9]`). `-n K/N`
/// prints one chunk instead; `--filter=COMMAND` pipes each piece to
/// COMMAND, run by the shell with `$FILE` its name, and writes none.
fn split(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &SPLIT_SPEC);
    let positional = args::positionals(&items);
    let input = positional.first().map_or("-", |a| a.text.as_str());
    let prefix = positional.get(1).map_or("x", |a| a.text.as_str());
    let mut outcome = Outcome::default();
    let mut carried = Payload::default();
    take_input(inv, &mut outcome, &mut carried, input, false);
    let value = |names: &[&str]| args::value(&items, names).map(|v| v.text.as_str());
    let class = if args::has(&items, &["-x", "--hex-suffixes"]) {
        "[0-9a-f]"
    } else if args::has(&items, &["-d", "--numeric-suffixes"]) {
        "[0-9]"
    } else {
        "[a-z]"
    };
    let length = value(&["-a", "--suffix-length"]).and_then(|n| n.parse::<usize>().ok());
    let pieces = format!(
        "{}{}{}{}",
        glob_literal(&inv.path(prefix)),
        class.repeat(length.unwrap_or(2).clamp(1, 16)),
        if length.is_some() { "" } else { "*" },
        glob_literal(value(&["--additional-suffix"]).unwrap_or_default()),
    );
    if let Some(filter) = value(&["--filter"]) {
        outcome.stdout = Some(Payload::default());
        outcome
            .nested
            .push(piece_filter(inv, filter, input, &pieces));
        return outcome;
    }
    let output = if value(&["-n", "--number"]).is_some_and(prints_one_chunk) {
        Destination::Stdout
    } else {
        Destination::File(pieces)
    };
    emit(&mut outcome, output, carried);
    outcome
}

/// `-n K/N`, `-n l/K/N`, `-n r/K/N`: only chunk K, to standard output.
fn prints_one_chunk(chunks: &str) -> bool {
    let parts: Vec<&str> = chunks.split('/').collect();
    match parts.as_slice() {
        [k, _] => k.chars().all(|c| c.is_ascii_digit()),
        [_, _, _] => true,
        _ => false,
    }
}

/// `split --filter=COMMAND`: COMMAND run by the shell once per piece, the
/// piece on its standard input (the input file's, or split's own) and its
/// name in `$FILE`.
fn piece_filter(inv: &Invocation<'_>, filter: &str, input: &str, pieces: &str) -> Nested {
    let text = if input == "-" {
        filter.to_owned()
    } else {
        let path = inv.path(input).replace('\'', "'\\''");
        format!("{{ {filter}\n}} < '{path}'")
    };
    Nested::ShellScript {
        text,
        what: "split --filter".to_owned(),
        args: vec![Arg::literal("sh")],
        env: vec![("FILE".to_owned(), Arg::literal(pieces))],
    }
}

/// `csplit [OPTION]... FILE PATTERN...`: FILE (`-`: standard input) cut at
/// the patterns into pieces named PREFIX (`-f`, `--prefix`; `xx`) and a
/// number printed by the suffix format (`-b`, `--suffix-format`; `%02d`,
/// with `-n`, `--digits` digits). Every piece carries the whole input, as
/// `split`'s do. What it prints is the pieces' sizes.
fn csplit(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "fbn",
            long: &["prefix", "suffix-format", "digits"],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let Some(input) = args::positionals(&items).first().map(|a| a.text.as_str()) else {
        return outcome;
    };
    let mut carried = Payload::default();
    take_input(inv, &mut outcome, &mut carried, input, false);
    let value = |names: &[&str]| args::value(&items, names).map(|v| v.text.as_str());
    let digits = value(&["-n", "--digits"]).and_then(|n| n.parse::<usize>().ok());
    let suffix = match value(&["-b", "--suffix-format"]) {
        Some(format) => number_pattern(format),
        None => format!("{}*", "[0-9]".repeat(digits.unwrap_or(2).clamp(1, 16))),
    };
    let prefix = value(&["-f", "--prefix"]).unwrap_or("xx");
    let pieces = format!("{}{suffix}", glob_literal(&inv.path(prefix)));
    emit(&mut outcome, Destination::File(pieces), carried);
    outcome.stdout = Some(Payload::default());
    outcome
}

/// The names a printf number format prints (`%03d` → `[0-9][0-9][0-9]*`,
/// `part-%x.txt` → `part-[0-9a-f]*.txt`): as many digits of its base as
/// its width, or more; the rest of the format is literal.
fn number_pattern(format: &str) -> String {
    let Some((before, spec)) = format.split_once('%') else {
        return glob_literal(format);
    };
    let flags = spec.trim_start_matches(['0', '-', '+', ' ', '#', '\'']);
    let width_len = flags.chars().take_while(char::is_ascii_digit).count();
    let width = flags
        .get(..width_len)
        .and_then(|w| w.parse::<usize>().ok())
        .unwrap_or(1);
    let rest = flags.get(width_len..).unwrap_or_default();
    let mut conversion = rest.chars();
    let class = match conversion.next() {
        Some('x') => "[0-9a-f]",
        Some('X') => "[0-9A-F]",
        Some('o') => "[0-7]",
        _ => "[0-9]",
    };
    format!(
        "{}{}*{}",
        glob_literal(before),
        class.repeat(width.clamp(1, 16)),
        glob_literal(conversion.as_str())
    )
}

/// `text` as a glob that matches only itself.
fn glob_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '*' | '?' | '[' | '{' | '}' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Whether `name`, a path as a command gives it, names the file written
/// as `written`: the same path; a glob (`/tmp/sp_*`, `for c in out/*`)
/// that matches it; or, for a splitter's pieces written under the pattern
/// of their names, a piece's own name (`/tmp/sp_aa`) or a glob that
/// matches the first piece's.
pub(crate) fn names_written_file(name: &str, written: &str) -> bool {
    if name == written {
        return true;
    }
    if is_glob(written) && shell_glob(written).is_some_and(|g| g.is_match(name)) {
        return true;
    }
    is_glob(name) && shell_glob(name).is_some_and(|g| g.is_match(first_name(written)))
}

/// Text with a glob character in it.
pub(crate) fn is_glob(text: &str) -> bool {
    text.contains(['*', '?', '['])
}

/// A pathname pattern as bash matches it: `*` and `?` within one name,
/// braces literal (the line's brace expansions are already done).
fn shell_glob(pattern: &str) -> Option<globset::GlobMatcher> {
    let escaped = pattern.replace('{', "[{]").replace('}', "[}]");
    globset::GlobBuilder::new(&escaped)
        .literal_separator(true)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}

/// The first name a pattern of names matches: each class its first
/// character, `?` one letter, `*` nothing (`/tmp/sp_[0-9][0-9]*` →
/// `/tmp/sp_00`).
fn first_name(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' => {}
            '?' => out.push('a'),
            '[' => {
                let class: String = chars.by_ref().take_while(|c| *c != ']').collect();
                out.extend(class.chars().find(|c| !matches!(c, '!' | '^')));
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_pieces_and_globs() {
        let pieces = "/tmp/sp_[0-9][0-9][0-9]";
        assert!(names_written_file("/tmp/sp_*", pieces));
        assert!(names_written_file("/tmp/sp_0*", pieces));
        assert!(names_written_file("/tmp/sp_012", pieces));
        assert!(names_written_file("/tmp/*", pieces));
        assert!(!names_written_file("/tmp/sp_ab", pieces));
        assert!(!names_written_file("/tmp/sp_0123", pieces));
        assert!(!names_written_file("/var/sp_*", pieces));
        assert!(names_written_file("/w/out/*.env", "/w/out/a.env"));
        assert!(!names_written_file("/w/*.env", "/w/out/a.env"));
        assert!(!names_written_file("/w/a.env", "/w/b.env"));
    }

    #[test]
    fn number_formats_as_patterns() {
        assert_eq!(number_pattern("%03d"), "[0-9][0-9][0-9]*");
        assert_eq!(number_pattern("part-%x.txt"), "part-[0-9a-f]*.txt");
        assert_eq!(number_pattern("%02d.pem"), "[0-9][0-9]*.pem");
        assert_eq!(first_name("/t/x[a-z][a-z]*"), "/t/xaa");
        assert_eq!(glob_literal("a*b[1]"), "a[*]b[[]1]");
    }

    #[test]
    fn replaces_extensions() {
        assert_eq!(with_extension("/w/a/b.pdf", "txt"), "/w/a/b.txt");
        assert_eq!(with_extension("/w/a.b/c", "txt"), "/w/a.b/c.txt");
        assert_eq!(with_extension("notes.v2.docx", "pdf"), "notes.v2.pdf");
        assert_eq!(with_extension("/w/.env", "gpg"), "/w/.env.gpg");
    }

    #[test]
    fn tells_page_ranges_from_files() {
        assert!(is_page_range("1-5"));
        assert!(is_page_range("1,3-N"));
        assert!(!is_page_range("a.pdf"));
        assert!(!is_page_range(""));
        assert!(is_qpdf_range("1-z:odd"));
        assert!(is_qpdf_range("r3-r1"));
        assert!(!is_qpdf_range("memo.pdf"));
    }

    #[test]
    fn reads_magick_file_arguments() {
        assert_eq!(magick_file("doc.pdf[0]"), Some("doc.pdf"));
        assert_eq!(magick_file("png:out.png"), Some("out.png"));
        assert_eq!(magick_file("png:-"), Some("-"));
        assert_eq!(magick_file("xc:white"), None);
        assert_eq!(magick_file("info:"), None);
        assert_eq!(magick_file("C:/x.png"), Some("C:/x.png"));
    }
}
