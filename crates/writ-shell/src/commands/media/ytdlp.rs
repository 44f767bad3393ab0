//! yt-dlp and youtube-dl: downloads from the URLs they are given into
//! the file their output template names, and the commands `--exec` runs
//! on each downloaded file.
//!
//! The media file is written at `-o/--output`'s template (the program's
//! default, `%(title)s [%(id)s].%(ext)s` for yt-dlp, without one) below
//! `-P/--paths`' home directory (the working directory without one); the
//! template's fields stay as written, since the line does not fix them.
//! `--exec [WHEN:]CMD` (and `--exec-before-download CMD`) runs CMD
//! through a shell once per file, with `{}` replaced by the file's path
//! (or, when CMD has output-template fields, `%(filepath)q` and the
//! like), the path appended when neither is there: the command is
//! analysed as shell text naming that path. The files options name are
//! read (`-a/--batch-file`, `--cookies`, `--load-info-json`), and the
//! credentials given for the sites (`-u/-p`, `--video-password`, headers)
//! go with the requests.

use super::super::{Invocation, Nested, Outcome, request, url, words};
use crate::args::{self, Arg, Item, Spec};
use crate::{Payload, flow, paths};

/// Short options that take a value (`-o TEMPLATE`, `-P PATH`, `-a FILE`,
/// `-f FORMAT`, `-S SORT`, `-I ITEMS`, `-N N`, `-r RATE`, `-R N`, `-u`,
/// `-p`, `-2`, `-O TEMPLATE`).
const VALUE_LETTERS: &str = "oPafSINrRup2O";

/// Long options that take a value (`yt-dlp --help`, and youtube-dl's
/// older names).
const VALUE_OPTIONS: &[&str] = &[
    "default-search",
    "config-location",
    "config-locations",
    "plugin-dirs",
    "compat-options",
    "use-extractors",
    "ies",
    "wait-for-video",
    "preset-alias",
    "alias",
    "proxy",
    "socket-timeout",
    "source-address",
    "impersonate",
    "geo-verification-proxy",
    "cn-verification-proxy",
    "xff",
    "geo-bypass-country",
    "geo-bypass-ip-block",
    "playlist-start",
    "playlist-end",
    "playlist-items",
    "match-title",
    "reject-title",
    "min-filesize",
    "max-filesize",
    "date",
    "datebefore",
    "dateafter",
    "min-views",
    "max-views",
    "match-filter",
    "match-filters",
    "break-match-filters",
    "age-limit",
    "download-archive",
    "max-downloads",
    "skip-playlist-after-errors",
    "concurrent-fragments",
    "limit-rate",
    "rate-limit",
    "throttled-rate",
    "retries",
    "file-access-retries",
    "fragment-retries",
    "retry-sleep",
    "buffer-size",
    "http-chunk-size",
    "download-sections",
    "downloader",
    "external-downloader",
    "downloader-args",
    "external-downloader-args",
    "batch-file",
    "paths",
    "output",
    "output-na-placeholder",
    "autonumber-size",
    "autonumber-start",
    "trim-filenames",
    "trim-file-names",
    "load-info-json",
    "cookies",
    "cookies-from-browser",
    "cache-dir",
    "print",
    "print-to-file",
    "progress-template",
    "progress-delta",
    "encoding",
    "add-header",
    "add-headers",
    "sleep-requests",
    "sleep-interval",
    "min-sleep-interval",
    "max-sleep-interval",
    "sleep-subtitles",
    "referer",
    "user-agent",
    "format",
    "format-sort",
    "merge-output-format",
    "sub-format",
    "sub-formats",
    "sub-lang",
    "sub-langs",
    "srt-lang",
    "srt-langs",
    "convert-sub",
    "convert-subs",
    "convert-subtitles",
    "username",
    "password",
    "twofactor",
    "video-password",
    "ap-mso",
    "ap-username",
    "ap-password",
    "client-certificate",
    "client-certificate-key",
    "client-certificate-password",
    "netrc-location",
    "netrc-cmd",
    "audio-format",
    "audio-quality",
    "remux-video",
    "recode-video",
    "postprocessor-args",
    "ppa",
    "parse-metadata",
    "metadata-from-title",
    "replace-in-metadata",
    "exec",
    "exec-before-download",
    "convert-thumbnails",
    "remove-chapters",
    "use-postprocessor",
    "ffmpeg-location",
    "fixup",
    "concat-playlist",
    "sponsorblock-mark",
    "sponsorblock-remove",
    "sponsorblock-chapter-title",
    "sponsorblock-api",
    "extractor-retries",
    "extractor-args",
    "js-runtimes",
    "remote-components",
];

/// Options that take more than one value, and how many more than one
/// (`--print-to-file TEMPLATE FILE`, `--alias ALIASES OPTIONS`,
/// `--replace-in-metadata FIELDS REGEX REPLACE`).
const EXTRA_VALUES: &[(&str, usize)] = &[
    ("--print-to-file", 1),
    ("--alias", 1),
    ("--replace-in-metadata", 2),
];

/// Options whose value is a credential the program presents to the site.
const CREDENTIAL_OPTIONS: &[&str] = &[
    "-u",
    "--username",
    "-p",
    "--password",
    "-2",
    "--twofactor",
    "--video-password",
    "--ap-username",
    "--ap-password",
    "--client-certificate-password",
    "--add-header",
    "--add-headers",
];

/// Options whose value is a file the program reads.
const READ_OPTIONS: &[&str] = &[
    "-a",
    "--batch-file",
    "--cookies",
    "--load-info-json",
    "--config-location",
    "--config-locations",
    "--download-archive",
];

/// The stages `--exec WHEN:CMD` may name (yt-dlp's `POSTPROCESS_WHEN`).
const EXEC_STAGES: &[&str] = &[
    "pre_process",
    "after_filter",
    "video",
    "before_dl",
    "post_process",
    "after_move",
    "after_video",
    "playlist",
];

/// Output template types (`-o TYPES:TEMPLATE`); `default` is the media
/// file's, the one an untyped template sets.
const TEMPLATE_TYPES: &[&str] = &[
    "default",
    "chapter",
    "subtitle",
    "thumbnail",
    "description",
    "annotation",
    "infojson",
    "link",
    "pl_video",
    "pl_thumbnail",
    "pl_description",
    "pl_infojson",
];

/// `-P/--paths` types besides the template types: where files end up
/// (`home`, the default) and where they are made (`temp`).
const PATH_TYPES: &[&str] = &["home", "temp"];

/// yt-dlp's and youtube-dl's command line: the options (with the extra
/// values of [`EXTRA_VALUES`] options taken out of the positionals) and
/// the positionals, the URLs and video IDs.
fn parse(words: &[Arg]) -> (Vec<Item<'_>>, Vec<&Arg>) {
    let items = args::parse(
        words,
        &Spec {
            short: VALUE_LETTERS,
            long: VALUE_OPTIONS,
            stop_after: None,
        },
    );
    let mut positionals = Vec::new();
    let mut skip = 0;
    for item in &items {
        match item {
            Item::Pos(_) if skip > 0 => skip -= 1,
            Item::Pos(arg) => positionals.push(*arg),
            Item::Opt { name, .. } => {
                skip = EXTRA_VALUES
                    .iter()
                    .find(|(option, _)| *option == name.as_ref())
                    .map_or(0, |(_, extra)| *extra);
            }
        }
    }
    (items, positionals)
}

/// What a yt-dlp or youtube-dl line does: a fetch of each URL (carrying
/// the site credentials given), the files its options read and write,
/// the media file, and each `--exec` command run on that file.
pub(super) fn handle(inv: &Invocation<'_>) -> Outcome {
    let (items, positionals) = parse(inv.args);
    let mut outcome = Outcome::default();
    let mut sent = Payload::default();
    for credential in args::values(&items, CREDENTIAL_OPTIONS) {
        flow::merge(&mut sent, &credential.payload());
    }
    for target in positionals.iter().filter(|p| p.text.contains("://")) {
        outcome.effects.push(request(
            inv.program,
            url(&target.text),
            "GET",
            sent.clone(),
            false,
        ));
    }
    for file in args::values(&items, READ_OPTIONS) {
        if file.text != "-" {
            outcome.read(inv.path(&file.text), false);
        }
    }
    for file in args::values(&items, &["--download-archive"]) {
        outcome.write(inv.path(&file.text), true);
    }
    let location = media_location(inv, &items);
    if let Some(path) = &location {
        outcome.write(path.clone(), false);
    }
    let path = location.as_deref().unwrap_or("-");
    for command in exec_commands(&items) {
        outcome.nested.push(Nested::Script {
            text: exec_line(command, path),
            what: format!("{} --exec", inv.program),
        });
    }
    outcome
}

/// The types a `TYPES:VALUE` option value names, from `known`, and the
/// value; an untyped value (or one whose prefix is not a list of known
/// types, such as a Windows drive) is `default`'s.
fn typed<'a>(text: &'a str, known: &[&str]) -> (Vec<String>, &'a str) {
    if let Some((types, rest)) = text.split_once(':') {
        let names: Vec<String> = types
            .split(',')
            .map(|t| t.trim().to_ascii_lowercase())
            .collect();
        if names.iter().all(|n| known.contains(&n.as_str())) {
            return (names, rest);
        }
    }
    (vec!["default".to_owned()], text)
}

/// Where the media file is written: the last untyped (or `default:`)
/// `-o` template, else the program's default, below the last `home`
/// path of `-P`; `None` when it goes to standard output (`-o -`).
fn media_location(inv: &Invocation<'_>, items: &[Item<'_>]) -> Option<String> {
    let template = args::values(items, &["-o", "--output"])
        .into_iter()
        .map(|value| typed(&value.text, TEMPLATE_TYPES))
        .filter(|(types, _)| types.iter().any(|t| t == "default"))
        .map(|(_, template)| template.to_owned())
        .next_back()
        .unwrap_or_else(|| default_template(inv.program).to_owned());
    if template == "-" {
        return None;
    }
    let known: Vec<&str> = PATH_TYPES.iter().chain(TEMPLATE_TYPES).copied().collect();
    let home = args::values(items, &["-P", "--paths"])
        .into_iter()
        .map(|value| typed(&value.text, &known))
        .filter(|(types, _)| types.iter().any(|t| t == "default" || t == "home"))
        .map(|(_, path)| inv.path(path))
        .next_back()
        .unwrap_or_else(|| inv.cwd.to_owned());
    Some(paths::resolve(&home, inv.home, &template))
}

/// The output template a program uses when given none.
fn default_template(program: &str) -> &'static str {
    if program.starts_with("youtube-dl") {
        "%(title)s-%(id)s.%(ext)s"
    } else {
        "%(title)s [%(id)s].%(ext)s"
    }
}

/// The commands run on each file, in order: `--exec [WHEN:]CMD`,
/// `--exec-before-download CMD`; `--no-exec` forgets those before it.
fn exec_commands<'a>(items: &'a [Item<'_>]) -> Vec<&'a str> {
    let mut commands = Vec::new();
    for item in items {
        match item {
            Item::Opt {
                name,
                value: Some(value),
            } if name == "--exec" || name == "--exec-before-download" => {
                commands.push(without_stage(&value.text));
            }
            Item::Opt { name, .. } if name == "--no-exec" => commands.clear(),
            _ => {}
        }
    }
    commands.retain(|command| !command.trim().is_empty());
    commands
}

/// `--exec`'s command without the stage it names (`after_move:CMD`).
fn without_stage(text: &str) -> &str {
    text.split_once(':')
        .filter(|(stage, _)| EXEC_STAGES.iter().any(|s| s.eq_ignore_ascii_case(stage)))
        .map_or(text, |(_, command)| command)
}

/// The shell line `--exec` runs for the file at `path`: a command with
/// output-template fields has them filled (the file's path for
/// `filepath` and `_filename`, any other field left as written); one
/// without has each `{}` replaced by the path, or the path appended.
/// Each insertion is quoted for where it stands in the line, so the line
/// names the path as one word.
fn exec_line(command: &str, path: &str) -> String {
    if has_fields(command) {
        substitute(command, |rest| field_at(rest, path))
    } else if command.contains("{}") {
        substitute(command, |rest| {
            rest.starts_with("{}").then(|| (2, path.to_owned()))
        })
    } else {
        format!("{command} {}", words::quote(path))
    }
}

/// True when `command` holds an output-template field (`%(title)s`).
fn has_fields(command: &str) -> bool {
    command.match_indices("%(").any(|(at, _)| {
        command
            .get(at..)
            .is_some_and(|rest| field_at(rest, "").is_some())
    })
}

/// The field `rest` starts with (`%(filepath,_filename|)q`, `%(id)s`) as
/// its length and what it stands for: `path` for the file's path, the
/// field as written for any other; `%%` is a `%`.
fn field_at(rest: &str, path: &str) -> Option<(usize, String)> {
    if rest.starts_with("%%") {
        return Some((2, "%".to_owned()));
    }
    let inner = rest.strip_prefix("%(")?;
    let mut depth = 1usize;
    let close = inner.char_indices().find_map(|(at, c)| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        (depth == 0).then_some(at)
    })?;
    let key = inner.get(..close)?;
    let after = inner.get(close + 1..)?;
    let flags = after
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '#' | '.' | '+' | '-'))
        .count();
    let conversion = after.get(flags..)?.chars().next()?;
    if !conversion.is_ascii_alphabetic() {
        return None;
    }
    let length = 2 + close + 1 + flags + 1;
    let name: String = key
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let text = if matches!(name.as_str(), "filepath" | "_filename") {
        path.to_owned()
    } else {
        rest.get(..length)?.to_owned()
    };
    Some((length, text))
}

/// Where a point of a shell line stands: outside quotes, or inside single
/// or double ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    Bare,
    Single,
    Double,
}

/// `text` written so the shell reads it literally at a point quoted as
/// `quoting` says.
fn quoted_in(quoting: Quoting, text: &str) -> String {
    match quoting {
        Quoting::Bare => words::quote(text),
        Quoting::Single => text.replace('\'', r"'\''"),
        Quoting::Double => {
            let mut out = String::with_capacity(text.len());
            for c in text.chars() {
                if matches!(c, '"' | '\\' | '$' | '`') {
                    out.push('\\');
                }
                out.push(c);
            }
            out
        }
    }
}

/// `line` with each placeholder `found` recognises (its length and the
/// text it stands for) replaced by that text, quoted for where it stands.
fn substitute(line: &str, found: impl Fn(&str) -> Option<(usize, String)>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut quoting = Quoting::Bare;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if let Some((length, text)) = found(rest) {
            out.push_str(&quoted_in(quoting, &text));
            rest = rest.get(length..).unwrap_or_default();
            continue;
        }
        let mut taken = c.len_utf8();
        match (quoting, c) {
            (Quoting::Bare, '\'') => quoting = Quoting::Single,
            (Quoting::Single, '\'') => quoting = Quoting::Bare,
            (Quoting::Bare, '"') => quoting = Quoting::Double,
            (Quoting::Double, '"') => quoting = Quoting::Bare,
            (Quoting::Bare | Quoting::Double, '\\') => {
                taken += rest
                    .get(taken..)
                    .and_then(|r| r.chars().next())
                    .map_or(0, char::len_utf8);
            }
            _ => {}
        }
        out.push_str(rest.get(..taken).unwrap_or_default());
        rest = rest.get(taken..).unwrap_or_default();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_become_the_path_quoted_where_they_stand() {
        let path = "/w/tmp/%(id)s.%(ext)s";
        assert_eq!(
            exec_line(r#"curl -F "file=@{}" https://x"#, path),
            r#"curl -F "file=@/w/tmp/%(id)s.%(ext)s" https://x"#
        );
        assert_eq!(exec_line("rm {}", path), "rm '/w/tmp/%(id)s.%(ext)s'");
        assert_eq!(
            exec_line("echo 'at {}'", "/w/it's"),
            r"echo 'at /w/it'\''s'"
        );
        assert_eq!(exec_line("mv", "/w/a.mp3"), "mv /w/a.mp3");
        assert_eq!(
            exec_line(r#"echo "$x \" {}""#, "/w/$a"),
            r#"echo "$x \" /w/\$a""#
        );
    }

    #[test]
    fn fields_are_filled_and_braces_left() {
        assert_eq!(
            exec_line("cp %(filepath)q out/ && echo {} %(title)s", "/w/a b.mp4"),
            "cp '/w/a b.mp4' out/ && echo {} '%(title)s'"
        );
        assert_eq!(
            exec_line("curl -T \"%(filepath,_filename|)s\" ftp://h/", "/w/a.mp4"),
            "curl -T \"/w/a.mp4\" ftp://h/"
        );
        assert_eq!(exec_line("echo 100%% {}", "/w/a"), "echo 100%% /w/a");
    }

    #[test]
    fn stages_and_types_are_prefixes_only_when_known() {
        assert_eq!(without_stage("after_move:echo {}"), "echo {}");
        assert_eq!(without_stage("Before_DL:echo"), "echo");
        assert_eq!(without_stage("echo a:b"), "echo a:b");
        let (types, rest) = typed("thumbnail,subtitle:t/%(id)s", TEMPLATE_TYPES);
        assert_eq!(
            (types, rest),
            (
                vec!["thumbnail".to_owned(), "subtitle".to_owned()],
                "t/%(id)s"
            )
        );
        assert_eq!(typed(r"C:\v\%(id)s", TEMPLATE_TYPES).1, r"C:\v\%(id)s");
    }
}
