//! What a text transformer prints when everything it reads is text the
//! line fixes: decoders (`base64 -d`, `base32 -d`, `basenc -d`, `xxd -r`,
//! `openssl base64 -d`), the ciphers a line hides a command behind (`rev`,
//! `tac`, `tr`), and the backslash escapes of `printf`, `echo -e` and
//! `$'...'`. A line that pipes such text into a shell (`echo ... | rev |
//! sh`) runs the computed text, so the walk analyses that text as the
//! command it is. Anything the line does not fix (a file operand, a
//! variable, an option these readers do not know) stays unknown.

use crate::Payload;
use crate::args::Arg;

/// The most text a transform computes: a larger input or output stays
/// unknown, and a `printf` width beyond [`MAX_WIDTH`] is not padded.
const MAX_TEXT: usize = 64 * 1024;
/// The widest field `printf` pads (`%99999999s` is not made).
const MAX_WIDTH: usize = 4096;
/// The most characters a `tr` set expands to.
const MAX_SET: usize = 4096;

/// Programs whose standard output is a function of their arguments and
/// standard input alone, which [`transformed_stdout`] computes.
const TEXT_TRANSFORMERS: &[&str] = &[
    "base64", "base32", "basenc", "xxd", "openssl", "rev", "tac", "tr",
];

/// True for a program [`transformed_stdout`] reads: its output is known
/// only when that function computes it.
pub(crate) fn is_text_transformer(program: &str) -> bool {
    TEXT_TRANSFORMERS.contains(&program)
}

/// What a text transformer prints when its arguments are literal and its
/// standard input is one known text: the decoded, reversed or translated
/// text. `None` for anything else: encoding, a file operand, an option or
/// a set it does not read, input that does not decode to UTF-8 text, or
/// text over [`MAX_TEXT`].
pub(crate) fn transformed_stdout(
    program: &str,
    args: &[Arg],
    stdin: Option<&Payload>,
) -> Option<String> {
    if args.iter().any(|a| a.dynamic) {
        return None;
    }
    let input = known_text(stdin?)?;
    if input.len() > MAX_TEXT {
        return None;
    }
    let words: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    let output = match program {
        "base64" | "base32" | "basenc" => base_decoded(program, &words, input)?,
        "xxd" => xxd_reverted(&words, input)?,
        "openssl" => openssl_decoded(&words, input)?,
        "rev" if reads_stdin_only(&words) => map_lines(input, |line| line.chars().rev().collect()),
        "tac" if reads_stdin_only(&words) => reversed_lines(input),
        "tr" => translated(&words, input)?,
        _ => return None,
    };
    (output.len() <= MAX_TEXT).then_some(output)
}

/// The text of a stream that is one text the line fixes, and nothing read
/// from a file, a variable or a credential.
fn known_text(stdin: &Payload) -> Option<&str> {
    if !stdin.files.is_empty()
        || !stdin.env.is_empty()
        || !stdin.credentials.is_empty()
        || stdin.repository
    {
        return None;
    }
    match stdin.text.as_slice() {
        [text] => Some(text),
        _ => None,
    }
}

/// No operand but `-`: the program reads standard input.
fn reads_stdin_only(words: &[&str]) -> bool {
    words.iter().all(|w| *w == "-")
}

fn utf8(bytes: Vec<u8>) -> Option<String> {
    String::from_utf8(bytes).ok()
}

/// The encodings of coreutils' `base64`, `base32` and `basenc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    Base64,
    Base64Url,
    Base32,
    Base32Hex,
    Base16,
}

/// `base64 -d`, `base32 -d`, `basenc --base64|--base64url|--base32|
/// --base32hex|--base16 -d` (`-i` ignores bytes outside the alphabet,
/// `-w N` only wraps encoded output); macOS's `base64 -D`.
fn base_decoded(program: &str, words: &[&str], input: &str) -> Option<String> {
    let mut base = match program {
        "base64" => Some(Base::Base64),
        "base32" => Some(Base::Base32),
        _ => None,
    };
    let mut decoding = false;
    let mut ignore_garbage = false;
    let mut wrap_value = false;
    for &word in words {
        if std::mem::take(&mut wrap_value) {
            continue;
        }
        match word {
            "-" => {}
            "--decode" => decoding = true,
            "--ignore-garbage" => ignore_garbage = true,
            "--wrap" | "--break" => wrap_value = true,
            "--base64" if program == "basenc" => base = Some(Base::Base64),
            "--base64url" if program == "basenc" => base = Some(Base::Base64Url),
            "--base32" if program == "basenc" => base = Some(Base::Base32),
            "--base32hex" if program == "basenc" => base = Some(Base::Base32Hex),
            "--base16" if program == "basenc" => base = Some(Base::Base16),
            _ if word.starts_with("--wrap=") || word.starts_with("--break=") => {}
            _ if word.len() > 1 && word.starts_with('-') && !word.starts_with("--") => {
                for (at, letter) in word.char_indices().skip(1) {
                    match letter {
                        'd' | 'D' => decoding = true,
                        'i' => ignore_garbage = true,
                        // `-w 0`, `-w0`: the rest of the word, or the next, is the width.
                        'w' | 'b' => {
                            wrap_value = at + 1 == word.len();
                            break;
                        }
                        _ => return None,
                    }
                }
            }
            // A file operand (or an option these readers do not know).
            _ => return None,
        }
    }
    if !decoding {
        return None;
    }
    let base = base?;
    let kept: String = if ignore_garbage {
        input.chars().filter(|c| in_alphabet(base, *c)).collect()
    } else {
        input.to_owned()
    };
    let bytes = match base {
        Base::Base64 => super::decode_base64(&kept, false)?,
        Base::Base64Url => super::decode_base64(&kept, true)?,
        Base::Base32 => decode_base32(&kept, BASE32)?,
        Base::Base32Hex => decode_base32(&kept, BASE32_HEX)?,
        Base::Base16 => decode_base16(&kept)?,
    };
    utf8(bytes)
}

const BASE32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE32_HEX: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUV";

/// A character of `base`'s alphabet (padding included).
fn in_alphabet(base: Base, c: char) -> bool {
    match base {
        Base::Base64 => c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='),
        Base::Base64Url => c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '='),
        Base::Base32 => BASE32.contains(c) || c == '=',
        Base::Base32Hex => BASE32_HEX.contains(c) || c == '=',
        Base::Base16 => c.is_ascii_digit() || ('A'..='F').contains(&c),
    }
}

/// RFC 4648 base32 in `alphabet` (upper case, as coreutils reads it),
/// padded or not, line breaks ignored.
fn decode_base32(text: &str, alphabet: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(text.len() * 5 / 8);
    let mut bits: u32 = 0;
    let mut count = 0;
    let body = text
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect::<String>();
    for c in body.trim_end_matches('=').chars() {
        let value = u32::try_from(alphabet.find(c)?).ok()?;
        bits = (bits << 5) | value;
        count += 5;
        if count >= 8 {
            count -= 8;
            bytes.push(u8::try_from((bits >> count) & 0xff).ok()?);
        }
        bits &= (1 << count) - 1;
    }
    Some(bytes)
}

/// Base16 as `basenc --base16` reads it: upper-case hex digit pairs, line
/// breaks ignored.
fn decode_base16(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u32> = text
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|c| (!c.is_ascii_lowercase()).then(|| c.to_digit(16)).flatten())
        .collect::<Option<_>>()?;
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| match pair {
            [high, low] => u8::try_from(high * 16 + low).ok(),
            _ => None,
        })
        .collect()
}

/// `xxd -r -p` (plain hex: every hex digit pair, anything else skipped)
/// and `xxd -r` of a dump (`OFFSET: HEX  ASCII` lines, in order). Without
/// `-r` xxd encodes.
fn xxd_reverted(words: &[&str], input: &str) -> Option<String> {
    let mut revert = false;
    let mut plain = false;
    let mut value = false;
    for &word in words {
        if std::mem::take(&mut value) {
            continue;
        }
        match word.strip_prefix('-').unwrap_or(word) {
            "r" | "revert" | "-revert" => revert = true,
            "p" | "ps" | "postscript" | "plain" | "-ps" | "-postscript" | "-plain" => plain = true,
            "c" | "cols" | "-cols" | "g" | "groupsize" | "-groupsize" => value = true,
            "u" | "C" | "capitalize" | "-capitalize" | "" => {}
            _ => return None,
        }
    }
    if !revert {
        return None;
    }
    let bytes = if plain {
        plain_hex(input)
    } else {
        dump_hex(input)?
    };
    utf8(bytes)
}

/// The bytes of every pair of hex digits, other characters skipped (a
/// last odd digit is dropped), as `xxd -r -p` reads.
fn plain_hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text
        .chars()
        .filter_map(|c| c.to_digit(16))
        .filter_map(|d| u8::try_from(d).ok())
        .collect();
    digits
        .chunks_exact(2)
        .map(|pair| pair.iter().fold(0, |byte, digit| byte * 16 + digit))
        .collect()
}

/// The bytes of an xxd dump: each line's hex columns after `OFFSET:` up
/// to the two spaces before its text column. `None` when a line is not
/// one, or its offset is not where the bytes so far end.
fn dump_hex(text: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (offset, rest) = line.split_once(':')?;
        if usize::from_str_radix(offset.trim(), 16).ok()? != bytes.len() {
            return None;
        }
        let columns = rest.trim_start_matches(' ');
        let columns = columns.split("  ").next().unwrap_or_default();
        let digits: String = columns.chars().filter(|c| *c != ' ').collect();
        if !digits.chars().all(|c| c.is_ascii_hexdigit()) || !digits.len().is_multiple_of(2) {
            return None;
        }
        bytes.extend(plain_hex(&digits));
    }
    Some(bytes)
}

/// `openssl base64 -d` and `openssl enc -d -base64` (`-a`; `-A`: one
/// line). A cipher, `-in` or `-out` leaves the output unknown.
fn openssl_decoded(words: &[&str], input: &str) -> Option<String> {
    let (command, options) = words.split_first()?;
    let mut base64 = *command == "base64";
    if !base64 && *command != "enc" {
        return None;
    }
    let mut decoding = false;
    for option in options {
        let name = option
            .strip_prefix("--")
            .or_else(|| option.strip_prefix('-'))?;
        match name {
            "d" => decoding = true,
            "e" => decoding = false,
            "a" | "base64" => base64 = true,
            "A" => {}
            _ => return None,
        }
    }
    if !(base64 && decoding) {
        return None;
    }
    utf8(super::decode_base64(input, false)?)
}

/// `f` applied to each line, the line breaks kept.
fn map_lines(text: &str, f: impl Fn(&str) -> String) -> String {
    text.split('\n').map(f).collect::<Vec<_>>().join("\n")
}

/// The lines of `text` last first (`tac`).
fn reversed_lines(text: &str) -> String {
    let (body, newline) = match text.strip_suffix('\n') {
        Some(body) => (body, "\n"),
        None => (text, ""),
    };
    let mut lines: Vec<&str> = body.split('\n').collect();
    lines.reverse();
    format!("{}{newline}", lines.join("\n"))
}

/// `tr [-cdst] SET1 [SET2]` as GNU tr does it: translation (SET2 padded
/// with its last character, or SET1 cut to SET2 with `-t`), deletion
/// (`-d`, of SET1's complement with `-c`), squeezing (`-s`). Sets are
/// characters, `\` escapes, ranges `a-z`, classes `[:upper:]` and `[=c=]`;
/// a repeat (`[c*n]`) and a translation of a complement are not read.
fn translated(words: &[&str], input: &str) -> Option<String> {
    let (mut complement, mut delete, mut squeeze, mut truncate) = (false, false, false, false);
    let mut sets: Vec<Vec<char>> = Vec::new();
    let mut options = true;
    for &word in words {
        if options && word == "--" {
            options = false;
            continue;
        }
        if options && word.len() > 1 && word.starts_with('-') {
            match word {
                "--complement" => complement = true,
                "--delete" => delete = true,
                "--squeeze-repeats" => squeeze = true,
                "--truncate-set1" => truncate = true,
                _ if word.starts_with("--") => return None,
                _ => {
                    for letter in word.chars().skip(1) {
                        match letter {
                            'c' | 'C' => complement = true,
                            'd' => delete = true,
                            's' => squeeze = true,
                            't' => truncate = true,
                            _ => return None,
                        }
                    }
                }
            }
            continue;
        }
        sets.push(tr_set(word)?);
    }
    let in_first = |set: &[char], c: char| set.contains(&c) != complement;
    let squeezed = |text: String, set: &[char], complemented: bool| {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            let repeat = out.ends_with(c) && set.contains(&c) != complemented;
            if !repeat {
                out.push(c);
            }
        }
        out
    };
    match (delete, squeeze, sets.as_slice()) {
        (true, false, [first]) => Some(input.chars().filter(|c| !in_first(first, *c)).collect()),
        (true, true, [first, second]) => {
            let kept: String = input.chars().filter(|c| !in_first(first, *c)).collect();
            Some(squeezed(kept, second, false))
        }
        (false, true, [first]) => Some(squeezed(input.to_owned(), first, complement)),
        (false, _, [first, second]) if !complement => {
            let mut from = first.clone();
            let mut to = second.clone();
            if truncate {
                from.truncate(to.len());
            } else if to.len() < from.len() {
                let last = *to.last()?;
                to.resize(from.len(), last);
            }
            let map: std::collections::HashMap<char, char> = from.into_iter().zip(to).collect();
            let out: String = input
                .chars()
                .map(|c| map.get(&c).copied().unwrap_or(c))
                .collect();
            Some(if squeeze {
                squeezed(out, second, false)
            } else {
                out
            })
        }
        _ => None,
    }
}

/// The characters a `tr` set names, in order.
fn tr_set(text: &str) -> Option<Vec<char>> {
    let chars: Vec<char> = text.chars().collect();
    let mut set = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        if chars.get(at) == Some(&'[') {
            match (chars.get(at + 1), chars.get(at + 2)) {
                (Some(':'), _) => {
                    let end = find(&chars, at + 2, &[':', ']'])?;
                    let name: String = chars.get(at + 2..end)?.iter().collect();
                    set.extend(char_class(&name)?);
                    at = end + 2;
                    continue;
                }
                (Some('='), Some(c)) if chars.get(at + 3..at + 5) == Some(&['=', ']']) => {
                    set.push(*c);
                    at += 5;
                    continue;
                }
                // `[c*n]`: a repeat, not read.
                (Some(_), Some('*')) => return None,
                _ => {}
            }
        }
        let (first, next) = set_char(&chars, at)?;
        if chars.get(next) == Some(&'-') && next + 1 < chars.len() {
            let (last, after) = set_char(&chars, next + 1)?;
            if last < first || (u32::from(last) - u32::from(first)) as usize > MAX_SET {
                return None;
            }
            set.extend(first..=last);
            at = after;
        } else {
            set.push(first);
            at = next;
        }
        if set.len() > MAX_SET {
            return None;
        }
    }
    Some(set)
}

/// Where `pattern` next starts in `chars`, from `from`.
fn find(chars: &[char], from: usize, pattern: &[char]) -> Option<usize> {
    (from..chars.len()).find(|&at| chars.get(at..at + pattern.len()) == Some(pattern))
}

/// One character of a `tr` set at `at` (a `\` escape is one), and where
/// the next starts.
fn set_char(chars: &[char], at: usize) -> Option<(char, usize)> {
    let c = *chars.get(at)?;
    if c != '\\' {
        return Some((c, at + 1));
    }
    let Some(&letter) = chars.get(at + 1) else {
        return Some(('\\', at + 1));
    };
    let control = match letter {
        'a' => '\u{7}',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\u{b}',
        '0'..='7' => {
            let digits = chars
                .get(at + 1..)?
                .iter()
                .take(3)
                .take_while(|d| d.is_digit(8))
                .count();
            let value = chars
                .get(at + 1..at + 1 + digits)?
                .iter()
                .fold(0, |v, d| v * 8 + d.to_digit(8).unwrap_or(0));
            return Some((char::from_u32(value & 0xff)?, at + 1 + digits));
        }
        other => other,
    };
    Some((control, at + 2))
}

/// The ASCII characters of a POSIX class, in order.
fn char_class(name: &str) -> Option<Vec<char>> {
    let test: fn(&char) -> bool = match name {
        "alnum" => |c| c.is_ascii_alphanumeric(),
        "alpha" => |c| c.is_ascii_alphabetic(),
        "blank" => |c| matches!(c, ' ' | '\t'),
        "cntrl" => |c| c.is_ascii_control(),
        "digit" => |c| c.is_ascii_digit(),
        "graph" => |c| c.is_ascii_graphic(),
        "lower" => |c| c.is_ascii_lowercase(),
        "print" => |c| c.is_ascii_graphic() || *c == ' ',
        "punct" => |c| c.is_ascii_punctuation(),
        "space" => |c| c.is_ascii_whitespace() || *c == '\u{b}',
        "upper" => |c| c.is_ascii_uppercase(),
        "xdigit" => |c| c.is_ascii_hexdigit(),
        _ => return None,
    };
    Some((0u8..=127).map(char::from).filter(test).collect())
}

/// Which backslash escapes a text decodes, as bash reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Escapes {
    /// `$'...'`: `\cX` is a control character, a NUL ends the text.
    AnsiC,
    /// A `printf` format: `\NNN` octal; `\c` stays as written.
    PrintfFormat,
    /// `echo -e`: octal only as `\0NNN`; `\c` ends all output.
    Echo,
    /// A `printf %b` argument: `\0NNN` and `\NNN`; `\c` ends all output.
    PrintfArgument,
}

/// Whether decoding went on, or a `\c` ended all output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Go,
    Stop,
}

/// `text` with its backslash escapes decoded as `escapes` says: `\n`-style
/// letters, `\xHH`, octal, `\uHHHH`, `\UHHHHHHHH`; and whether a `\c`
/// ended all output there. Bytes that are not UTF-8 are replaced.
pub(crate) fn unescape(text: &str, escapes: Escapes) -> (String, bool) {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut stopped = false;
    while let Some(c) = chars.next() {
        if c != '\\' {
            push_char(&mut out, c);
            continue;
        }
        if escape(&mut chars, escapes, &mut out) == Flow::Stop {
            stopped = true;
            break;
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), stopped)
}

type Chars<'t> = std::iter::Peekable<std::str::Chars<'t>>;

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buffer = [0; 4];
    out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
}

/// Decodes one escape, its backslash already read, into `out`.
fn escape(chars: &mut Chars<'_>, escapes: Escapes, out: &mut Vec<u8>) -> Flow {
    let Some(letter) = chars.next() else {
        out.push(b'\\');
        return Flow::Go;
    };
    let literal = |out: &mut Vec<u8>| {
        out.push(b'\\');
        push_char(out, letter);
    };
    let control = match letter {
        'n' => b'\n',
        't' => b'\t',
        'r' => b'\r',
        'a' => 0x07,
        'b' => 0x08,
        'e' | 'E' => 0x1b,
        'f' => 0x0c,
        'v' => 0x0b,
        '\\' => b'\\',
        '\'' | '"' | '?' if matches!(escapes, Escapes::AnsiC | Escapes::PrintfFormat) => {
            push_char(out, letter);
            return Flow::Go;
        }
        'x' | 'u' | 'U' => {
            let most = match letter {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            match take_digits(chars, 16, most) {
                Some(value) if letter == 'x' => {
                    out.push(u8::try_from(value & 0xff).unwrap_or_default());
                }
                Some(value) => match char::from_u32(value) {
                    Some(decoded) => push_char(out, decoded),
                    None => literal(out),
                },
                None => literal(out),
            }
            if escapes == Escapes::AnsiC && out.last() == Some(&0) {
                out.pop();
                return Flow::Stop;
            }
            return Flow::Go;
        }
        '0'..='7' => {
            if escapes == Escapes::Echo && letter != '0' {
                literal(out);
                return Flow::Go;
            }
            // `echo -e` and `%b` read `\0NNN`: up to three digits after
            // the 0; otherwise the digit is the first of up to three.
            let zero_prefixed =
                letter == '0' && matches!(escapes, Escapes::Echo | Escapes::PrintfArgument);
            let (first, more) = if zero_prefixed {
                (0, 3)
            } else {
                (letter.to_digit(8).unwrap_or(0), 2)
            };
            let mut value = first;
            for _ in 0..more {
                match chars.peek().and_then(|d| d.to_digit(8)) {
                    Some(digit) => {
                        value = value * 8 + digit;
                        chars.next();
                    }
                    None => break,
                }
            }
            let byte = u8::try_from(value & 0xff).unwrap_or_default();
            if escapes == Escapes::AnsiC && byte == 0 {
                return Flow::Stop;
            }
            out.push(byte);
            return Flow::Go;
        }
        'c' => match escapes {
            Escapes::AnsiC => match chars.next() {
                Some(next) => {
                    out.push(u8::try_from(u32::from(next) & 0x1f).unwrap_or_default());
                    return Flow::Go;
                }
                None => {
                    out.extend_from_slice(b"\\c");
                    return Flow::Go;
                }
            },
            Escapes::PrintfFormat => {
                literal(out);
                return Flow::Go;
            }
            Escapes::Echo | Escapes::PrintfArgument => return Flow::Stop,
        },
        _ => {
            literal(out);
            return Flow::Go;
        }
    };
    out.push(control);
    Flow::Go
}

/// Reads up to `most` digits of `radix`: their value, or `None` when
/// there is none.
fn take_digits(chars: &mut Chars<'_>, radix: u32, most: usize) -> Option<u32> {
    let mut value: Option<u32> = None;
    for _ in 0..most {
        let Some(digit) = chars.peek().and_then(|d| d.to_digit(radix)) else {
            break;
        };
        chars.next();
        value = Some(value.unwrap_or(0).wrapping_mul(radix).wrapping_add(digit));
    }
    value
}

/// What `echo` prints: its words joined by spaces after the leading
/// options (`-n`, `-e`, `-E` and their combinations), escapes decoded
/// under `-e` (the last of `-e` and `-E` wins). The final line break is
/// left out, as for every printed text.
pub(crate) fn echo_output(words: &[&str]) -> String {
    let is_option = |w: &&&str| {
        w.len() > 1 && w.starts_with('-') && w.chars().skip(1).all(|c| "neE".contains(c))
    };
    let options = words.iter().take_while(is_option).count();
    let escapes = words
        .iter()
        .take(options)
        .flat_map(|w| w.chars())
        .rfind(|c| matches!(c, 'e' | 'E'))
        == Some('e');
    let text = words.get(options..).unwrap_or_default().join(" ");
    if escapes {
        unescape(&text, Escapes::Echo).0
    } else {
        text
    }
}

/// What bash's `printf [-v NAME] [--] FORMAT ARGS...` prints: the
/// format's escapes decoded, each conversion (`%s`, `%b`, `%c`, `%d`,
/// `%x`, `%f`, ... with flags, width and precision) given the next
/// argument, and the format repeated while arguments remain. A number
/// that does not parse is printed as written.
pub(crate) fn printf_output(words: &[&str]) -> String {
    let mut words = words;
    if let ["-v", _, rest @ ..] = words {
        words = rest;
    }
    if let ["--", rest @ ..] = words {
        words = rest;
    }
    let Some((format, args)) = words.split_first() else {
        return String::new();
    };
    let mut out = Vec::new();
    let mut next = 0;
    loop {
        let before = next;
        let flow = format_once(format, args, &mut next, &mut out);
        if flow == Flow::Stop || next >= args.len() || next == before || out.len() > MAX_TEXT {
            break;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One `printf` conversion: its flags, width, precision and letter.
#[derive(Debug, Default)]
struct Conversion {
    left: bool,
    zero: bool,
    width: usize,
    precision: Option<usize>,
}

/// Prints `format` once, taking arguments from `next` on.
fn format_once(format: &str, args: &[&str], next: &mut usize, out: &mut Vec<u8>) -> Flow {
    let take = |next: &mut usize| {
        let arg = args.get(*next).copied();
        *next += usize::from(arg.is_some());
        arg
    };
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                escape(&mut chars, Escapes::PrintfFormat, out);
            }
            '%' if chars.peek() == Some(&'%') => {
                chars.next();
                out.push(b'%');
            }
            '%' => {
                let mut spec = Conversion::default();
                let mut written = String::from("%");
                while let Some(&flag) = chars.peek().filter(|f| "-+ #0'".contains(**f)) {
                    spec.left |= flag == '-';
                    spec.zero |= flag == '0';
                    written.push(flag);
                    chars.next();
                }
                let mut number = |chars: &mut Chars<'_>, written: &mut String| {
                    if chars.peek() == Some(&'*') {
                        chars.next();
                        written.push('*');
                        return take(next).and_then(integer);
                    }
                    let mut value: Option<i64> = None;
                    while let Some(digit) = chars.peek().and_then(|d| d.to_digit(10)) {
                        written.push(chars.next().unwrap_or_default());
                        value = Some(value.unwrap_or(0).saturating_mul(10) + i64::from(digit));
                    }
                    value
                };
                if let Some(width) = number(&mut chars, &mut written) {
                    spec.left |= width < 0;
                    spec.width = usize::try_from(width.unsigned_abs()).unwrap_or(MAX_WIDTH);
                }
                if chars.peek() == Some(&'.') {
                    chars.next();
                    written.push('.');
                    let precision = number(&mut chars, &mut written).unwrap_or(0);
                    spec.precision = Some(usize::try_from(precision.max(0)).unwrap_or(0));
                }
                let Some(letter) = chars.next() else {
                    out.extend_from_slice(written.as_bytes());
                    break;
                };
                let arg = if "diouxXcsbqQfFeEgGaA".contains(letter) {
                    take(next)
                } else {
                    None
                };
                let (text, numeric) = match letter {
                    's' => {
                        let text = arg.unwrap_or_default();
                        let text = match spec.precision {
                            Some(most) => text.chars().take(most).collect(),
                            None => text.to_owned(),
                        };
                        (text, false)
                    }
                    'b' => {
                        let (text, stopped) =
                            unescape(arg.unwrap_or_default(), Escapes::PrintfArgument);
                        out.extend_from_slice(pad(&text, &spec, false).as_bytes());
                        if stopped {
                            return Flow::Stop;
                        }
                        continue;
                    }
                    'c' => (
                        arg.and_then(|a| a.chars().next())
                            .map(String::from)
                            .unwrap_or_default(),
                        false,
                    ),
                    'd' | 'i' | 'u' | 'o' | 'x' | 'X' => match arg.map_or(Some(0), integer) {
                        Some(value) => (format_integer(value, letter), true),
                        None => (arg.unwrap_or_default().to_owned(), false),
                    },
                    'f' | 'F' => match arg.map_or(Some(0.0), |a| a.trim().parse::<f64>().ok()) {
                        Some(value) => (format!("{value:.*}", spec.precision.unwrap_or(6)), true),
                        None => (arg.unwrap_or_default().to_owned(), false),
                    },
                    'q' | 'Q' | 'e' | 'E' | 'g' | 'G' | 'a' | 'A' => {
                        (arg.unwrap_or_default().to_owned(), false)
                    }
                    // Not a conversion bash knows: printed as written.
                    other => {
                        written.push(other);
                        (written, false)
                    }
                };
                out.extend_from_slice(pad(&text, &spec, numeric).as_bytes());
            }
            _ => push_char(out, c),
        }
    }
    Flow::Go
}

/// `text` padded to the conversion's width (at most [`MAX_WIDTH`]): on
/// the left, or on the right with `-`, with zeros after a number's sign
/// with `0`.
fn pad(text: &str, spec: &Conversion, numeric: bool) -> String {
    let length = text.chars().count();
    let width = spec.width.min(MAX_WIDTH);
    if length >= width {
        return text.to_owned();
    }
    let fill = width - length;
    if spec.left {
        format!("{text}{}", " ".repeat(fill))
    } else if spec.zero && numeric {
        let (sign, digits) = match text.strip_prefix('-') {
            Some(digits) => ("-", digits),
            None => ("", text),
        };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{text}", " ".repeat(fill))
    }
}

/// An integer argument as `printf` reads it: decimal, `0x` hex, `0`
/// octal, or `'c` (the character's code).
fn integer(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Some(quoted) = text.strip_prefix(['\'', '"']) {
        return Some(quoted.chars().next().map_or(0, |c| i64::from(u32::from(c))));
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let value = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(octal) = digits.strip_prefix('0').filter(|o| !o.is_empty()) {
        i64::from_str_radix(octal, 8).ok()?
    } else {
        digits.parse().ok()?
    };
    Some(if negative { -value } else { value })
}

/// An integer as conversion `letter` prints it (a negative one in hex or
/// octal as its 64-bit two's complement, as bash does).
fn format_integer(value: i64, letter: char) -> String {
    let unsigned = value.cast_unsigned();
    match letter {
        'o' => format!("{unsigned:o}"),
        'x' => format!("{unsigned:x}"),
        'X' => format!("{unsigned:X}"),
        'u' => unsigned.to_string(),
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::push_text;

    fn stdin(text: &str) -> Payload {
        let mut payload = Payload::default();
        push_text(&mut payload, text);
        payload
    }

    fn run(program: &str, words: &[&str], input: &str) -> Option<String> {
        let args: Vec<Arg> = words.iter().map(|w| Arg::literal(w)).collect();
        transformed_stdout(program, &args, Some(&stdin(input)))
    }

    #[test]
    fn decodes_bash_escapes() {
        let cases = [
            (r"\x63\x75\x72\x6c", "curl"),
            (r"\x2e\x65nv", ".env"),
            (r"\143url", "curl"),
            (r"\u0063\U00000075rl", "curl"),
            (r"a\tb\nc", "a\tb\nc"),
            (r"\e[0m\a\b\f\v", "\u{1b}[0m\u{7}\u{8}\u{c}\u{b}"),
            (r#"it\'s \"q\" \\"#, "it's \"q\" \\"),
            (r"\cA\cz", "\u{1}\u{1a}"),
            (r"\xZZ", "\\xZZ"),
            (r"\q", "\\q"),
            (r"ab\0cd", "ab"),
            (r"\303\251", "\u{e9}"),
            ("trailing\\", "trailing\\"),
        ];
        for (raw, decoded) in cases {
            assert_eq!(unescape(raw, Escapes::AnsiC).0, decoded, "{raw}");
        }
    }

    /// Each as bash 5 prints it.
    #[test]
    fn printf_prints_as_bash() {
        let cases: &[(&[&str], &str)] = &[
            (&[r"\x63\x75\x72\x6c -s"], "curl -s"),
            (&[r"\143url\n"], "curl\n"),
            (&[r"\0143"], "\u{c}3"),
            (&[r"a\cb"], "a\\cb"),
            (&["%s-%s;", "a", "b", "c"], "a-b;c-;"),
            (&["%b|", r"\0143url \143url \x41"], "curl curl A|"),
            (&["%b%s", r"a\cb", "never"], "a"),
            (&["%5s|%-4s|%.2s|", "ab", "cd", "efgh"], "   ab|cd  |ef|"),
            (
                &["%d|%05d|%x|%o|%c", "42", "-42", "255", "8", "xyz"],
                "42|-0042|ff|10|x",
            ),
            (&["%d", "'A"], "65"),
            (&["%s %d"], " 0"),
            (&["%.1f%%", "2.25"], "2.2%"),
            (&["-v", "x", "%s", "y"], "y"),
            (&["--", "%s", "z"], "z"),
            (&["plain"], "plain"),
            (&["%99999999s", "x"], ""),
        ];
        for (words, printed) in cases {
            let out = printf_output(words);
            if words.first() == Some(&"%99999999s") {
                assert_eq!(out.len(), MAX_WIDTH, "width is capped");
                continue;
            }
            assert_eq!(out, *printed, "printf {words:?}");
        }
    }

    #[test]
    fn echo_decodes_only_with_e() {
        let cases: &[(&[&str], &str)] = &[
            (&["a", "b"], "a b"),
            (&["-n", "a"], "a"),
            (&["-e", r"\x63url \0143url \143"], r"curl curl \143"),
            (&["-ne", r"a\tb"], "a\tb"),
            (&["-e", "-E", r"a\tb"], r"a\tb"),
            (&["-e", r"a\cb", "c"], "a"),
            (&["-x", "a"], "-x a"),
            (&[r"\x41"], r"\x41"),
        ];
        for (words, printed) in cases {
            assert_eq!(echo_output(words), *printed, "echo {words:?}");
        }
    }

    #[test]
    fn base_decoders_decode_known_text() {
        assert_eq!(run("base64", &["-d"], "bHMK").as_deref(), Some("ls\n"));
        assert_eq!(
            run("base64", &["--decode", "-w", "0"], "bHMK").as_deref(),
            Some("ls\n")
        );
        assert_eq!(run("base64", &["-D"], "bHMK").as_deref(), Some("ls\n"));
        assert_eq!(run("base64", &["-di"], "bH*MK").as_deref(), Some("ls\n"));
        assert_eq!(run("base64", &[], "bHMK"), None, "encodes");
        assert_eq!(run("base64", &["-d", "f.b64"], "bHMK"), None, "file");
        assert_eq!(run("base32", &["-d"], "MN2XE3A=").as_deref(), Some("curl"));
        assert_eq!(run("base32", &["-d"], "mn2xe3a="), None, "upper case only");
        assert_eq!(
            run("basenc", &["--base32hex", "-d"], "CDQN4R0=").as_deref(),
            Some("curl")
        );
        assert_eq!(
            run("basenc", &["--base16", "-d"], "6375726C").as_deref(),
            Some("curl")
        );
        assert_eq!(run("basenc", &["--base16", "-d"], "6375726c"), None);
        assert_eq!(
            run("basenc", &["-d", "--base64url"], "Pz8-").as_deref(),
            Some("??>")
        );
        assert_eq!(run("basenc", &["-d"], "bHMK"), None, "no encoding");
        assert_eq!(run("base64", &["-d"], "/w=="), None, "not UTF-8");
    }

    #[test]
    fn xxd_reverts_plain_hex_and_dumps() {
        assert_eq!(
            run("xxd", &["-r", "-p"], "6375 72:6c\n2e").as_deref(),
            Some("curl.")
        );
        assert_eq!(
            run("xxd", &["-ps", "-r"], "4142434").as_deref(),
            Some("ABC")
        );
        let dump = "00000000: 6375 726c 202d 7320  curl -s \n00000008: 6869                 hi";
        assert_eq!(run("xxd", &["-r"], dump).as_deref(), Some("curl -s hi"));
        assert_eq!(run("xxd", &["-r"], "00000010: 6869  hi"), None, "a gap");
        assert_eq!(
            run("xxd", &["-rp"], "6375726c"),
            None,
            "xxd reads -rp as -r"
        );
        assert_eq!(run("xxd", &["-p"], "curl"), None, "encodes");
    }

    #[test]
    fn openssl_decodes_base64_only() {
        for words in [
            &["base64", "-d"][..],
            &["enc", "-d", "-base64", "-A"],
            &["enc", "-a", "-d"],
        ] {
            assert_eq!(run("openssl", words, "Y3VybA==").as_deref(), Some("curl"));
        }
        assert_eq!(
            run("openssl", &["enc", "-d", "-aes-256-cbc", "-a"], "Y3VybA=="),
            None
        );
        assert_eq!(run("openssl", &["base64"], "curl"), None, "encodes");
        assert_eq!(run("openssl", &["rand", "-hex", "8"], ""), None);
    }

    #[test]
    fn rev_tac_and_tr_transform_lines_and_characters() {
        assert_eq!(run("rev", &[], "lruc\nsl").as_deref(), Some("curl\nls"));
        assert_eq!(run("rev", &["f.txt"], "x"), None);
        assert_eq!(run("tac", &[], "b\na\n").as_deref(), Some("a\nb\n"));
        let rot13 = ["A-Za-z", "N-ZA-Mn-za-m"];
        assert_eq!(run("tr", &rot13, "phey -f").as_deref(), Some("curl -s"));
        let cases: &[(&[&str], &str, &str)] = &[
            (&["[:lower:]", "[:upper:]"], "curl", "CURL"),
            (&["a-c", "x"], "abcd", "xxxd"),
            (&["-t", "abc", "xy"], "abcd", "xycd"),
            (&["-d", "\\n"], "a\nb", "ab"),
            (&["-d", "X"], "cuXrl", "curl"),
            (&["-cd", "a-z\\n"], "c-u r1l", "curl"),
            (&["-s", " "], "a   b", "a b"),
            (&["-s", "ab", "xx"], "aabb", "x"),
            (&["\\n", " "], "a\nb", "a b"),
            (&["[=a=]", "b"], "aa", "bb"),
            (&["\\141", "b"], "a", "b"),
        ];
        for (words, input, output) in cases {
            assert_eq!(
                run("tr", words, input).as_deref(),
                Some(*output),
                "tr {words:?}"
            );
        }
        assert_eq!(run("tr", &["a", "[b*]"], "a"), None, "a repeat");
        assert_eq!(run("tr", &["-c", "a", "b"], "a"), None);
        assert_eq!(run("tr", &["z-a", "x"], "a"), None, "a reversed range");
        assert_eq!(run("tr", &["a", ""], "a"), None, "SET2 empty");
    }

    #[test]
    fn unknown_input_stays_unknown() {
        let args = [Arg::literal("-d")];
        let mut from_file = stdin("bHMK");
        from_file.files.push(crate::FileRef {
            path: "/x".to_owned(),
            recursive: false,
            excludes: Vec::new(),
        });
        assert_eq!(transformed_stdout("base64", &args, Some(&from_file)), None);
        let mut from_env = stdin("bHMK");
        from_env.env.push("TOKEN".to_owned());
        assert_eq!(transformed_stdout("base64", &args, Some(&from_env)), None);
        assert_eq!(transformed_stdout("base64", &args, None), None);
        let dynamic = Arg {
            dynamic: true,
            ..Arg::literal("$MODE")
        };
        assert_eq!(
            transformed_stdout("rev", &[dynamic], Some(&stdin("x"))),
            None
        );
        let large = "A".repeat(MAX_TEXT + 1);
        assert_eq!(run("rev", &[], &large), None, "over the cap");
    }
}
