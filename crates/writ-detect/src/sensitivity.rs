//! Payload sensitivity detectors.

use std::sync::LazyLock;

use percent_encoding::percent_decode_str;
use regex::Regex;
use serde::Serialize;

/// How sensitive a payload is; ordered weakest first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    #[default]
    None,
    Internal,
    Confidential,
    Secret,
}

impl Sensitivity {
    /// The lower-case name used in policy and JSON (`none`, `internal`, `confidential`, `secret`).
    pub fn as_str(self) -> &'static str {
        match self {
            Sensitivity::None => "none",
            Sensitivity::Internal => "internal",
            Sensitivity::Confidential => "confidential",
            Sensitivity::Secret => "secret",
        }
    }

    /// Parses a label as written in a deployment (`secret`, `confidential`, `internal`, `none`).
    pub fn parse(label: &str) -> Option<Sensitivity> {
        match label {
            "none" => Some(Sensitivity::None),
            "internal" => Some(Sensitivity::Internal),
            "confidential" => Some(Sensitivity::Confidential),
            "secret" => Some(Sensitivity::Secret),
            _ => None,
        }
    }
}

/// What the detectors found in a text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TextFindings {
    /// Kinds of credentials found, each once, in a stable order
    /// (`aws_access_key_id`, `private_key`, `github_token`, `slack_token`, `stripe_live_key`).
    pub credentials: Vec<&'static str>,
    /// Number of distinct e-mail addresses (case-insensitive).
    pub distinct_emails: usize,
    /// Number of Luhn-valid card numbers (13 to 19 digits, spaces or dashes allowed between groups).
    pub card_numbers: usize,
    /// Number of US SSNs (`\d{3}-\d{2}-\d{4}`, not part of a longer digit run).
    pub ssns: usize,
}

impl TextFindings {
    /// `secret` if any credential; `confidential` if 3 or more distinct
    /// e-mail addresses, a card number or an SSN; else `none`.
    pub fn sensitivity(&self) -> Sensitivity {
        if !self.credentials.is_empty() {
            Sensitivity::Secret
        } else if self.distinct_emails >= 3 || self.card_numbers > 0 || self.ssns > 0 {
            Sensitivity::Confidential
        } else {
            Sensitivity::None
        }
    }
}

/// Credential kinds in their stable reporting order.
const CREDENTIAL_KINDS: [&str; 5] = [
    "aws_access_key_id",
    "private_key",
    "github_token",
    "slack_token",
    "stripe_live_key",
];

/// Cheap prefilter: any literal a credential pattern starts with.
static CREDENTIAL_HINT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"AKIA|PRIVATE KEY|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|xoxa-|xoxb-|xoxp-|xoxr-|sk_live_|rk_live_",
    )
    .ok()
});

/// One regex per credential kind, in `CREDENTIAL_KINDS` order.
static CREDENTIAL_PATTERNS: LazyLock<Vec<Option<Regex>>> = LazyLock::new(|| {
    [
        // AWS access key id: 20 characters; not the tail or head of a longer
        // upper-case/digit run (a lower-case letter before is allowed so that
        // `\nAKIA...` in JSON-escaped text still counts). Only long-term
        // keys, as the doctrine's pattern says: a temporary key's id (`ASIA`)
        // is useless without its secret and session token, and every
        // presigned URL made with one carries it.
        r"(?:^|[^A-Z0-9])AKIA[A-Z0-9]{16}(?:[^A-Z0-9]|$)",
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
        // GitHub's tokens are 36 characters after the prefix; 16 or more
        // also catches the shortened and hand-written ones examples use.
        r"(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{22,})",
        r"xox[abpr]-[A-Za-z0-9-]{10,}",
        r"[rs]k_live_[A-Za-z0-9]{10,}",
    ]
    .iter()
    .map(|p| Regex::new(p).ok())
    .collect()
});

static EMAIL_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"[A-Za-z0-9_](?:[A-Za-z0-9._%+\-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9\-]{1,59})",
    )
    .ok()
});

/// Views of the text: as sent, JSON-unescaped and percent-decoded
/// (`+` kept, for e-mail addresses), and additionally form-decoded (`+` as space).
struct Views<'a> {
    raw: &'a str,
    decoded: Option<String>,
    form: Option<String>,
}

impl<'a> Views<'a> {
    fn new(raw: &'a str) -> Views<'a> {
        let bytes = raw.as_bytes();
        let has_backslash = bytes.contains(&b'\\');
        let has_percent = bytes.contains(&b'%');
        let mut decoded: Option<String> = if has_backslash {
            json_unescape(raw)
        } else {
            None
        };
        if has_percent {
            let base = decoded.as_deref().unwrap_or(raw);
            let d = percent_decode_str(base).decode_utf8_lossy();
            if d != base {
                decoded = Some(d.into_owned());
            }
        }
        // `+` as space only matters where a pattern has spaces: the
        // private-key header and card-number groups.
        let form = {
            let base = decoded.as_deref().unwrap_or(raw);
            let bytes = base.as_bytes();
            let useful =
                bytes.contains(&b'+') && (base.contains("PRIVATE+KEY") || count_digits(base) >= 13);
            useful.then(|| base.replace('+', " "))
        };
        Views { raw, decoded, form }
    }

    /// The views every detector examines (the form view is separate).
    fn main(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.raw).chain(self.decoded.as_deref())
    }

    /// The most decoded view that keeps `+` (used for e-mail addresses).
    fn best(&self) -> &str {
        self.decoded.as_deref().unwrap_or(self.raw)
    }
}

/// Replaces JSON string escapes (`\n`, `\"`, `\/`, `\\`, `\uXXXX`, ...).
/// `None` when nothing changed.
fn json_unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut rest = text;
    while let Some(pos) = rest.find('\\') {
        out.push_str(&rest[..pos]);
        let esc = &rest[pos + 1..];
        let mut consumed = 1; // the backslash
        match esc.as_bytes().first() {
            Some(&e @ (b'"' | b'\\' | b'/')) => {
                out.push(char::from(e));
                consumed += 1;
            }
            Some(&e @ (b'n' | b't' | b'r' | b'b' | b'f')) => {
                out.push(match e {
                    b'n' => '\n',
                    b't' => '\t',
                    b'r' => '\r',
                    _ => ' ',
                });
                consumed += 1;
            }
            Some(b'u') => {
                match esc.get(1..5).and_then(|h| u32::from_str_radix(h, 16).ok()) {
                    Some(code) => {
                        // Lone surrogates and other invalid code points become a space.
                        out.push(char::from_u32(code).unwrap_or(' '));
                        consumed += 5;
                    }
                    None => out.push('\\'),
                }
            }
            _ => out.push('\\'),
        }
        changed |= consumed > 1;
        rest = &rest[pos + consumed..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

fn credentials_in(text: &str, found: &mut [bool; 5]) {
    let hinted = match CREDENTIAL_HINT.as_ref() {
        Some(re) => re.is_match(text),
        None => true,
    };
    if !hinted {
        return;
    }
    for (i, re) in CREDENTIAL_PATTERNS.iter().enumerate() {
        if found[i] {
            continue;
        }
        let Some(re) = re else { continue };
        found[i] = if i == 3 {
            // Slack: the token body must contain a digit (`xoxb-your-token-here` is a placeholder).
            re.find_iter(text)
                .any(|m| m.as_str()[5..].bytes().any(|b| b.is_ascii_digit()))
        } else {
            re.is_match(text)
        };
    }
}

/// Scans `text` as sent and, where it is URL- or form-encoded
/// (`%XX`, `+` for space), after decoding; merges what both views find.
///
/// JSON string escapes (`\n`, `\u0040`, ...) are also decoded. Credential
/// kinds are the union over all views; card numbers and SSNs are the
/// largest count any single view gives (the same number seen encoded and
/// decoded counts once); e-mail addresses are counted in the decoded view
/// with `+` kept (it is legal in addresses).
pub fn scan_text(text: &str) -> TextFindings {
    let views = Views::new(text);
    let mut found = [false; 5];
    let mut card_numbers = 0;
    let mut ssns = 0;
    for view in views.main() {
        credentials_in(view, &mut found);
        let digits = count_digits(view);
        if digits >= 9 && view.as_bytes().contains(&b'-') {
            ssns = ssns.max(count_ssns(view));
        }
        if digits >= 13 {
            card_numbers = card_numbers.max(count_cards(view));
        }
    }
    if let Some(form) = views.form.as_deref() {
        if !found[1] {
            found[1] = CREDENTIAL_PATTERNS[1]
                .as_ref()
                .is_some_and(|re| re.is_match(form));
        }
        card_numbers = card_numbers.max(count_cards(form));
    }
    let best = views.best();
    let distinct_emails = if best.as_bytes().contains(&b'@') {
        email_addresses(best).len()
    } else {
        0
    };
    TextFindings {
        credentials: CREDENTIAL_KINDS
            .iter()
            .zip(found)
            .filter_map(|(k, f)| f.then_some(*k))
            .collect(),
        distinct_emails,
        card_numbers,
        ssns,
    }
}

/// Number of ASCII digits (wrapping arithmetic so that it vectorises even
/// with overflow checks on; a text cannot hold 2^32 digits in practice).
fn count_digits(text: &str) -> u32 {
    text.as_bytes().iter().fold(0u32, |n, b| {
        n.wrapping_add(u32::from(b.wrapping_sub(b'0') < 10))
    })
}

/// Shorthand for `scan_text(text).sensitivity()`.
pub fn classify_text(text: &str) -> Sensitivity {
    scan_text(text).sensitivity()
}

/// True when a card network issues numbers of this length under this
/// leading digit: UATP `1` (15), Mastercard and Mir `2` (16-19), Amex,
/// Diners and JCB `3` (14-19), Visa `4` (13-19), Mastercard and Maestro `5`,
/// Discover, UnionPay and Maestro `6`, RuPay `8` (16-19). No network uses
/// `0`, `7` or `9`, so a millisecond timestamp (`1795514280001`) or an
/// order id that happens to pass the Luhn check is not a card.
fn issued_length(digits: &str) -> bool {
    let len = digits.len();
    match digits.as_bytes().first() {
        Some(b'1') => len == 15,
        Some(b'3') => (14..=19).contains(&len),
        Some(b'4') => (13..=19).contains(&len),
        Some(b'2' | b'5' | b'6' | b'8') => (16..=19).contains(&len),
        _ => false,
    }
}

/// True when `digits` (ASCII digits only) passes the Luhn check.
/// `false` for an empty string or any non-digit.
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() {
        return false;
    }
    let mut sum: u32 = 0;
    for (i, b) in digits.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    // `u32::is_multiple_of` needs Rust 1.87; the workspace supports 1.85.
    #[allow(clippy::manual_is_multiple_of)]
    let valid = sum % 10 == 0;
    valid
}

/// Counts US SSNs `DDD-DD-DDDD` not inside a longer digit/dash run and not
/// all-zero in a field (`000-12-3456`, `123-00-4567`, `123-45-0000` are not
/// issued and are common placeholders).
fn count_ssns(text: &str) -> usize {
    let b = text.as_bytes();
    let is_d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let edge = |i: Option<usize>| match i.and_then(|i| b.get(i)) {
        Some(c) => !(c.is_ascii_digit() || *c == b'-'),
        None => true,
    };
    let mut count = 0;
    // Every SSN has a dash at offset 3: only look there.
    for (p, _) in text.match_indices('-') {
        let Some(i) = p.checked_sub(3) else { continue };
        if i + 11 > b.len() {
            break;
        }
        let shape = (0..3).all(|k| is_d(i + k))
            && (4..6).all(|k| is_d(i + k))
            && b[i + 6] == b'-'
            && (7..11).all(|k| is_d(i + k));
        if shape && edge(i.checked_sub(1)) && edge(Some(i + 11)) {
            let area = &b[i..i + 3];
            let group = &b[i + 4..i + 6];
            let serial = &b[i + 7..i + 11];
            if area != b"000" && group != b"00" && serial != b"0000" {
                count += 1;
            }
        }
    }
    count
}

/// Counts Luhn-valid card numbers: 13 to 19 digits, written together or in
/// groups separated by single spaces or single dashes (one separator kind
/// per number), not part of a longer digit run (a digit, letter or decimal
/// point touching the number disqualifies it).
fn count_cards(text: &str) -> usize {
    let b = text.as_bytes();
    let mut count = 0;
    let mut i = 0;
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut seps: Vec<u8> = Vec::new();
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // A maximal run of digit groups joined by single separators.
        let run_start = i;
        groups.clear();
        seps.clear();
        let mut total = 0;
        let mut j = i;
        loop {
            let g = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            total += j - g;
            groups.push((g, j));
            if j + 1 < b.len() && (b[j] == b' ' || b[j] == b'-') && b[j + 1].is_ascii_digit() {
                seps.push(b[j]);
                j += 1;
            } else {
                break;
            }
        }
        let run_end = j;
        if total < 13 {
            i = run_end;
            continue;
        }
        let before_ok = run_start == 0 || {
            let c = b[run_start - 1];
            !(c.is_ascii_alphanumeric()
                || c == b'_'
                || (c == b'.' && run_start >= 2 && b[run_start - 2].is_ascii_digit()))
        };
        let after_ok = run_end >= b.len() || {
            let c = b[run_end];
            !(c.is_ascii_alphanumeric()
                || c == b'_'
                || (c == b'.' && b.get(run_end + 1).is_some_and(u8::is_ascii_digit)))
        };
        count += cards_in_run(b, &groups, &seps, before_ok, after_ok);
        i = run_end;
    }
    count
}

/// Card numbers within one run of digit groups. The run is cut where the
/// separator kind changes (the group at a change belongs to both sides);
/// each same-separator stretch yields at most one number: the whole
/// stretch, or the stretch without a shared edge group
/// (`2024-01-15 4111 1111 1111 1111` yields one number). No group is used
/// twice.
fn cards_in_run(
    b: &[u8],
    groups: &[(usize, usize)],
    seps: &[u8],
    before_ok: bool,
    after_ok: bool,
) -> usize {
    let n = groups.len();
    let digits_of = |from: usize, to: usize| -> String {
        groups[from..=to]
            .iter()
            .map(|&(s, e)| std::str::from_utf8(&b[s..e]).unwrap_or(""))
            .collect()
    };
    let is_card = |from: usize, to: usize| {
        if (from == 0 && !before_ok) || (to == n - 1 && !after_ok) {
            return false;
        }
        let d = digits_of(from, to);
        issued_length(&d) && luhn_valid(&d)
    };
    // Stretches [a, z] of groups joined by one separator kind.
    let mut stretches: Vec<(usize, usize)> = Vec::new();
    let mut a = 0;
    for k in 1..=seps.len() {
        if k == seps.len() || seps[k] != seps[a] {
            stretches.push((a, k));
            a = k;
        }
    }
    if stretches.is_empty() {
        stretches.push((0, 0));
    }
    let mut count = 0;
    let mut next_free = 0;
    for &(a, z) in &stretches {
        let shared_first = a > 0;
        let shared_last = z < n - 1;
        let mut candidates = vec![(a, z)];
        if shared_first && a < z {
            candidates.push((a + 1, z));
        }
        if shared_last && a < z {
            candidates.push((a, z - 1));
        }
        if shared_first && shared_last && a + 1 < z {
            candidates.push((a + 1, z - 1));
        }
        if let Some(&(_, to)) = candidates
            .iter()
            .find(|&&(from, to)| from >= next_free && is_card(from, to))
        {
            count += 1;
            next_free = to + 1;
        }
    }
    count
}

/// True when the address's top-level domain may be one: on the public
/// suffix list, a common private one (`internal`, `corp`, ...), or any other
/// word of letters that is not a file extension. New and reserved top-level
/// domains (`.logistics`, `.example`) are addresses; `logo@2x.png` is not.
fn known_tld(addr: &str) -> bool {
    let tld = addr.rsplit('.').next().unwrap_or("");
    if matches!(
        tld,
        "internal" | "local" | "corp" | "lan" | "home" | "intranet" | "localdomain"
    ) || psl::suffix(tld.as_bytes()).is_some_and(|s| s.is_known())
    {
        return true;
    }
    tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && !FILE_EXTENSIONS.contains(&tld)
}

/// File extensions that are not top-level domains, which follow an `@` in
/// file names (`icon@2x.png`, `bundle@1.min.js`).
const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "heic", "avif", "pdf",
    "txt", "csv", "tsv", "json", "jsonl", "yaml", "yml", "toml", "ini", "cfg", "conf", "xml",
    "lock", "log", "tmp", "bak", "old", "orig", "swp", "ts", "tsx", "jsx", "js", "mjs", "cjs",
    "css", "scss", "sass", "less", "html", "htm", "vue", "svelte", "rb", "go", "java", "kt", "kts",
    "scala", "swift", "h", "hpp", "cpp", "cs", "dll", "dylib", "exe", "bin", "wasm", "map", "min",
    "gz", "tgz", "bz", "xz", "zst", "tar", "whl", "egg", "jar", "war", "mp", "wav", "ogg", "webm",
    "avi", "mkv", "flac", "rst", "bash", "zsh", "fish", "bat", "cmd", "pyc", "pyi", "ipynb", "sql",
    "db", "sqlite", "proto", "env", "pem", "crt", "key", "pub", "woff", "ttf", "otf", "eot",
    "patch", "diff", "dat", "tpl", "tmpl",
];

/// Distinct e-mail addresses in `text`, lower-cased, in order of first
/// appearance. Candidates whose top-level domain cannot be one (a file
/// extension, digits) are skipped: `logo@2x.png`.
pub fn email_addresses(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(re) = EMAIL_RE.as_ref() else {
        return out;
    };
    if !text.as_bytes().contains(&b'@') {
        return out;
    }
    for m in re.find_iter(text) {
        let addr = m.as_str().to_ascii_lowercase();
        if !known_tld(&addr) {
            continue;
        }
        if !out.contains(&addr) {
            out.push(addr);
        }
    }
    out
}
