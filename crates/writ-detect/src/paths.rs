//! Paths: lexical normalisation and sensitive-path globs.

use std::borrow::Cow;

use globset::{GlobBuilder, GlobMatcher};

/// Joins `path` to `base` unless absolute, expands a leading `~`/`~/` and
/// `$HOME`/`${HOME}` to `home`, and resolves `.` and `..` lexically. The
/// result is absolute, without a trailing slash (except `/`).
///
/// `..` above `/` stays at `/`; a relative `base` is taken from `/`.
pub fn normalize(path: &str, base: &str, home: &str) -> String {
    // `~/x` is `home` then `/x`: the `/` keeps their segments apart.
    let (head, rest) = match home_rest(path) {
        Some(rest) => (home, rest),
        None => ("", path),
    };
    let absolute = if head.is_empty() {
        rest.starts_with('/')
    } else {
        head.starts_with('/')
    };
    let base = if absolute { "" } else { base };
    // Written segment by segment: `..` drops the last one written.
    let mut out = String::with_capacity(base.len() + head.len() + rest.len() + 1);
    for seg in base
        .split('/')
        .chain(head.split('/'))
        .chain(rest.split('/'))
    {
        match seg {
            "" | "." => {}
            ".." => out.truncate(out.rfind('/').unwrap_or(0)),
            s => {
                out.push('/');
                out.push_str(s);
            }
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// What follows a leading `~`, `$HOME` or `${HOME}` when that is followed
/// by `/` or nothing.
fn home_rest(path: &str) -> Option<&str> {
    ["~", "$HOME", "${HOME}"].iter().find_map(|prefix| {
        path.strip_prefix(prefix)
            .filter(|r| r.is_empty() || r.starts_with('/'))
    })
}

/// How a deployment writes its paths, and so how an event's are read.
///
/// Windows paths are brought to the form Git Bash (MSYS) gives them,
/// `C:\Users\ana` as `/c/Users/ana`: the form writ-shell resolves drive
/// paths to, so one lexical path logic (`/`-rooted, `/`-separated) serves
/// both, and a command run in Git Bash names the same files as a tool's
/// `C:\...` argument.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PathStyle {
    /// `/` separates names, which compare as written.
    #[default]
    Posix,
    /// `\` separates names too, a drive letter or a `\\server\share` names
    /// a root, `%USERPROFILE%` is the home, and names compare ignoring
    /// case, as Windows' file systems compare them.
    Windows,
}

impl PathStyle {
    /// Windows when `path` is written as a Windows absolute path (`C:\x`,
    /// `C:/x`, `\\server\share\x`), else POSIX.
    pub fn of(path: &str) -> PathStyle {
        let path = path.trim();
        if drive_rest(path).is_some() || unc_rest(path).is_some() {
            PathStyle::Windows
        } else {
            PathStyle::Posix
        }
    }

    /// `path` (or a glob) in the form paths are resolved and matched in.
    /// In both styles a drive path becomes Git Bash's (`C:\x` is `/c/x`:
    /// no POSIX path starts with a drive letter). In the Windows style `\`
    /// is a separator, a share `\\server\share\x` is `/UNC/server/share/x`
    /// (as Windows' own `\\?\UNC\server\share` names it), a `\\?\` prefix
    /// is dropped, and the home's variables (`%USERPROFILE%`,
    /// `$env:USERPROFILE`, `$HOME` in any case) are `~`.
    pub fn local(self, path: &str) -> Cow<'_, str> {
        if self == PathStyle::Posix {
            return match drive_rest(path) {
                Some((letter, rest)) => Cow::Owned(drive_root(letter, &rest.replace('\\', "/"))),
                None => Cow::Borrowed(path),
            };
        }
        // `\\?\C:\x` is `C:\x`; `\\?\UNC\server\share` is `\\server\share`.
        let path: Cow<'_, str> = match path.strip_prefix(r"\\?\") {
            Some(rest)
                if rest
                    .get(..4)
                    .is_some_and(|u| u.eq_ignore_ascii_case(r"UNC\")) =>
            {
                Cow::Owned(format!(r"\\{}", &rest[4..]))
            }
            Some(rest) => Cow::Borrowed(rest),
            None => Cow::Borrowed(path),
        };
        if let Some((letter, rest)) = drive_rest(&path) {
            return Cow::Owned(drive_root(letter, &rest.replace('\\', "/")));
        }
        if let Some(rest) = unc_rest(&path) {
            return Cow::Owned(format!("/UNC/{}", rest.replace('\\', "/")));
        }
        let slashed = path.replace('\\', "/");
        Cow::Owned(match windows_home_rest(&slashed) {
            Some(rest) => format!("~{rest}"),
            None => slashed,
        })
    }
}

/// A drive path's letter and what follows its `X:` (`C:\x`, `c:/x`, `C:`).
fn drive_rest(path: &str) -> Option<(char, &str)> {
    let bytes = path.as_bytes();
    let letter = *bytes.first()?;
    if !letter.is_ascii_alphabetic() || bytes.get(1) != Some(&b':') {
        return None;
    }
    let rest = path.get(2..)?;
    (rest.is_empty() || rest.starts_with(['/', '\\'])).then_some((char::from(letter), rest))
}

/// Git Bash's form of a drive path: `/c` and what follows.
fn drive_root(letter: char, rest: &str) -> String {
    format!("/{}{rest}", letter.to_ascii_lowercase())
}

/// What follows the `\\` of a share path `\\server\share...`, when it
/// names a server and a share (not a device, `\\.\`, `\\?\`).
fn unc_rest(path: &str) -> Option<&str> {
    let rest = path.strip_prefix(r"\\")?;
    let mut parts = rest.split(['\\', '/']);
    let server = parts.next()?;
    let share = parts.next()?;
    let named = |s: &str| !s.is_empty() && s != "." && s != "?";
    (named(server) && named(share)).then_some(rest)
}

/// What follows a Windows spelling of the home (`%USERPROFILE%`,
/// `$env:USERPROFILE`, `$HOME`, in any case) followed by `/` or nothing.
fn windows_home_rest(path: &str) -> Option<&str> {
    const MARKERS: &[&str] = &[
        "%USERPROFILE%",
        "%HOMEDRIVE%%HOMEPATH%",
        "$env:USERPROFILE",
        "${env:USERPROFILE}",
        "$env:HOME",
        "${env:HOME}",
        "$HOME",
        "${HOME}",
    ];
    MARKERS.iter().find_map(|marker| {
        let head = path.get(..marker.len())?;
        let rest = &path[marker.len()..];
        (head.eq_ignore_ascii_case(marker) && (rest.is_empty() || rest.starts_with('/')))
            .then_some(rest)
    })
}

/// `path` with its leading `dir` spelt as `dir` is when the two differ only
/// in case: a Windows path as the deployment writes its workspace or home,
/// so that comparisons with them see one spelling. `None` when `path` is
/// not within `dir` ignoring case. Both absolute and normalised.
pub fn respell_within(path: &str, dir: &str) -> Option<String> {
    let dir = dir.trim_end_matches('/');
    let head = path.get(..dir.len())?;
    let rest = &path[dir.len()..];
    (head.to_lowercase() == dir.to_lowercase() && (rest.is_empty() || rest.starts_with('/')))
        .then_some(())
        .map(|()| format!("{dir}{rest}"))
}

/// True when `path` is `dir` or below it (both absolute, normalised).
/// Segment-wise: `/a/bc` is not within `/a/b`. Trailing slashes are ignored.
pub fn is_within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    let path = path.trim_end_matches('/');
    if dir.is_empty() {
        return path.is_empty() || path.starts_with('/') || !path.contains('/');
    }
    path == dir || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// Whether the file name `name` matches the name pattern `pattern`, as
/// `find -name` compares them (`*.log`, `node_modules`, `build-?`). A
/// pattern that does not compile matches nothing.
pub fn name_matches(pattern: &str, name: &str) -> bool {
    compile_segment(pattern, pattern).is_ok_and(|seg| seg.matches(name))
}

/// True when one of the name patterns `excludes` names a segment of
/// `pattern` below its first `depth` segments (the directory read), so a
/// read that leaves those names out holds nothing `pattern` matches. A
/// segment that is a glob is named only by the same text.
fn left_out(pattern: &[Seg], depth: usize, excludes: &[&str]) -> bool {
    let below = if matches!(pattern.first(), Some(Seg::Any)) {
        pattern
    } else {
        pattern.get(depth..).unwrap_or_default()
    };
    below.iter().any(|seg| {
        excludes.iter().any(|exclude| match seg {
            Seg::Any => false,
            Seg::Literal(name) => name_matches(exclude, name),
            Seg::Star { prefix, suffix } => {
                *exclude == format!("{prefix}*{suffix}")
                    || single_star(exclude)
                        .is_some_and(|(p, s)| prefix.starts_with(p) && suffix.ends_with(s))
            }
            Seg::Glob(_, text) => exclude == text,
        })
    })
}

/// The prefix and suffix of a name pattern with one `*` and no other
/// glob character (`.env*`: `.env` and nothing); every name a star segment
/// with a longer prefix and suffix matches (`.env.*`), it matches too.
fn single_star(pattern: &str) -> Option<(&str, &str)> {
    let (prefix, suffix) = pattern.split_once('*')?;
    (!is_glob(prefix) && !is_glob(suffix)).then_some((prefix, suffix))
}

/// One segment of a compiled glob.
#[derive(Debug, Clone)]
enum Seg {
    /// `**`: any number of segments, including none.
    Any,
    /// A segment without glob metacharacters.
    Literal(String),
    /// A segment with one `*` and no other metacharacter (`*.pem`,
    /// `customers*.csv`): a prefix and a suffix, matched without a regex.
    Star { prefix: String, suffix: String },
    /// A segment glob (`[ab]?`, `{a,b}.key`), with its text.
    Glob(GlobMatcher, String),
}

impl Seg {
    fn matches(&self, s: &str) -> bool {
        match self {
            Seg::Any => true,
            Seg::Literal(l) => l == s,
            Seg::Star { prefix, suffix } => {
                s.len() >= prefix.len() + suffix.len()
                    && s.starts_with(prefix.as_str())
                    && s.ends_with(suffix.as_str())
            }
            Seg::Glob(g, _) => g.is_match(s),
        }
    }

    /// True when some name matches both this segment and `name`, which may
    /// itself be a glob the shell left unexpanded (`*.csv` meets
    /// `customers*.csv`; `*` meets `settings.json` but not `.env`, as the
    /// shell's `*` does not match a leading dot).
    fn meets(&self, name: &str) -> bool {
        self.meets_as(name, true)
    }

    /// [`Seg::meets`]; unless `open_ended`, a glob of ours with wildcards
    /// meets only a name that ends as written (`*.pem` meets `*.p?m` but
    /// not `journal*`, which names no kind of file).
    fn meets_as(&self, name: &str, open_ended: bool) -> bool {
        if !is_glob(name) {
            return self.matches(name);
        }
        let ours = match self {
            Seg::Any => return true,
            Seg::Literal(l) => vec![l.chars().map(Tok::Char).collect()],
            Seg::Star { prefix, suffix } => vec![
                prefix
                    .chars()
                    .map(Tok::Char)
                    .chain([Tok::Run])
                    .chain(suffix.chars().map(Tok::Char))
                    .collect(),
            ],
            Seg::Glob(_, text) => alternatives(text),
        };
        let theirs = alternatives(name);
        let literal = matches!(self, Seg::Literal(_));
        ours.iter().any(|a| {
            theirs.iter().any(|b| {
                let hides_dot = matches!(b.first(), Some(Tok::Run | Tok::One));
                let names_an_end = matches!(b.last(), Some(Tok::Char(_)));
                !(hides_dot && a.first() == Some(&Tok::Char('.')))
                    && (open_ended || literal || names_an_end)
                    && tokens_meet(a, b)
            })
        })
    }
}

/// True when `name` holds glob metacharacters: a pattern the shell did not
/// expand (`exports/*.csv` as a command line gives it).
fn is_glob(name: &str) -> bool {
    name.bytes().any(|b| matches!(b, b'*' | b'?' | b'[' | b'{'))
}

/// One element of a segment glob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// `*`: any run of characters.
    Run,
    /// `?` or a class (`[a-z]`, taken as any character).
    One,
    Char(char),
}

/// The alternatives a segment glob stands for, braces expanded
/// (`{a,b}.key` is `a.key` and `b.key`). Past 64 alternatives the glob is
/// taken to match anything.
fn alternatives(glob: &str) -> Vec<Vec<Tok>> {
    let mut out = Vec::new();
    if !expand_braces(glob, &mut |text| out.push(tokens(text)), 64) {
        return vec![vec![Tok::Run]];
    }
    out
}

/// Calls `each` with every brace expansion of `glob`; false past `budget`.
fn expand_braces(glob: &str, each: &mut dyn FnMut(&str), budget: usize) -> bool {
    let mut count = 0;
    let mut stack = vec![glob.to_owned()];
    while let Some(text) = stack.pop() {
        let Some((open, close)) = first_brace(&text) else {
            count += 1;
            if count > budget {
                return false;
            }
            each(&text);
            continue;
        };
        let (head, body, tail) = (&text[..open], &text[open + 1..close], &text[close + 1..]);
        let mut depth = 0;
        let mut start = 0;
        let mut parts = Vec::new();
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&body[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&body[start..]);
        if stack.len() + parts.len() > budget {
            return false;
        }
        stack.extend(parts.into_iter().map(|p| format!("{head}{p}{tail}")));
    }
    true
}

/// The byte offsets of the first `{` and its matching `}`, when it has one.
fn first_brace(text: &str) -> Option<(usize, usize)> {
    let open = text.find('{')?;
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((open, open + i));
                }
            }
            _ => {}
        }
    }
    None
}

/// A brace-free segment glob as tokens.
fn tokens(glob: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        let tok = match c {
            '\\' => Tok::Char(chars.next().unwrap_or('\\')),
            '*' if out.last() == Some(&Tok::Run) => continue,
            '*' => Tok::Run,
            '?' => Tok::One,
            '[' => {
                // A class up to its `]` (a `]` first in it is a member).
                let rest: Vec<char> = chars.clone().collect();
                let mut start = usize::from(matches!(rest.first(), Some('!' | '^')));
                if rest.get(start) == Some(&']') {
                    start += 1;
                }
                match rest[start..].iter().position(|c| *c == ']') {
                    Some(end) => {
                        for _ in 0..start + end + 1 {
                            chars.next();
                        }
                        Tok::One
                    }
                    None => Tok::Char('['),
                }
            }
            c => Tok::Char(c),
        };
        out.push(tok);
    }
    out
}

/// True when some string matches both token globs: a search of the pair
/// automaton, where a `*` may take nothing or one more character.
fn tokens_meet(a: &[Tok], b: &[Tok]) -> bool {
    let width = b.len() + 1;
    let mut seen = vec![false; (a.len() + 1) * width];
    let mut stack = vec![(0, 0)];
    while let Some((i, j)) = stack.pop() {
        if std::mem::replace(&mut seen[i * width + j], true) {
            continue;
        }
        if i == a.len() && j == b.len() {
            return true;
        }
        let (ta, tb) = (a.get(i), b.get(j));
        if ta == Some(&Tok::Run) {
            stack.push((i + 1, j));
        }
        if tb == Some(&Tok::Run) {
            stack.push((i, j + 1));
        }
        // One character both take.
        let (Some(ta), Some(tb)) = (ta, tb) else {
            continue;
        };
        if let (Tok::Char(x), Tok::Char(y)) = (ta, tb)
            && x != y
        {
            continue;
        }
        let next_i = if *ta == Tok::Run { i } else { i + 1 };
        let next_j = if *tb == Tok::Run { j } else { j + 1 };
        if (next_i, next_j) != (i, j) {
            stack.push((next_i, next_j));
        }
    }
    false
}

/// One labelled glob, compiled to one or more absolute segment patterns.
#[derive(Debug, Clone)]
struct Entry<L> {
    glob: String,
    label: L,
    patterns: Vec<Vec<Seg>>,
}

/// A set of labelled globs (`**/.env` → `secret`), matched against a path
/// relative to the workspace and against the absolute path, with `~` in a
/// glob expanded from `home`. Globs follow gitignore-like rules: `*` does
/// not cross `/`, `**` matches any number of segments; a glob without `/`
/// matches a path whose last segment it matches (`*.pem` matches `a/b/x.pem`).
///
/// How a glob is anchored:
/// - `~/x`, `$HOME/x`: below `home`; `/x`: absolute;
/// - relative with a `/` (`data/*.csv`): below the workspace; if it starts
///   with `**/` (`**/.env`) it matches anywhere in the absolute path;
/// - without `/` (`*.pem`, `.env`): the last segment, anywhere;
/// - a trailing `/` (`secrets/`) is dropped.
///
/// As in gitignore, a glob that matches a directory covers everything below
/// it: `~/.aws` labels `~/.aws/credentials`. `**` may match no segment, so
/// `~/.ssh/**` also matches `~/.ssh` itself.
///
/// Compiled for the Windows [`PathStyle`], globs and paths are read in its
/// form and compared ignoring case (`.writ/**` matches `.WRIT\keys`).
#[derive(Debug, Clone)]
pub struct PathLabels<L> {
    entries: Vec<Entry<L>>,
    workspace: String,
    home: String,
    /// Compare lower-cased: globs, workspace and home are stored so.
    fold_case: bool,
}

/// An invalid glob, with the glob as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobError {
    pub glob: String,
    pub message: String,
}

impl std::fmt::Display for GlobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid glob `{}`: {}", self.glob, self.message)
    }
}

impl std::error::Error for GlobError {}

fn path_segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty() && *s != ".")
}

fn compile_segment(glob: &str, seg: &str) -> Result<Seg, GlobError> {
    if seg == "**" {
        return Ok(Seg::Any);
    }
    if !seg.contains(['*', '?', '[', ']', '{', '}', '\\']) {
        return Ok(Seg::Literal(seg.to_string()));
    }
    // gitignore: asterisks other than a whole `**` segment are plain `*`.
    let mut s = seg.to_string();
    while s.contains("**") {
        s = s.replace("**", "*");
    }
    if s.matches('*').count() == 1
        && !s.contains(['?', '[', ']', '{', '}', '\\'])
        && let Some((prefix, suffix)) = s.split_once('*')
    {
        return Ok(Seg::Star {
            prefix: prefix.to_owned(),
            suffix: suffix.to_owned(),
        });
    }
    GlobBuilder::new(&s)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map(|g| Seg::Glob(g.compile_matcher(), s.clone()))
        .map_err(|e| GlobError {
            glob: glob.to_string(),
            message: e.to_string(),
        })
}

fn compile_segments(glob: &str, body: &str) -> Result<Vec<Seg>, GlobError> {
    let mut out: Vec<Seg> = Vec::new();
    for seg in path_segments(body) {
        let s = compile_segment(glob, seg)?;
        if matches!(s, Seg::Any) && matches!(out.last(), Some(Seg::Any)) {
            continue;
        }
        out.push(s);
    }
    Ok(out)
}

/// The part of `pattern` that lies below the directory `root`: empty when
/// nothing it matches can be there. After a `**`, all that follows can.
fn below<'p>(pattern: &'p [Seg], root: &[&str]) -> &'p [Seg] {
    for (i, dir) in root.iter().enumerate() {
        match pattern.get(i) {
            Some(Seg::Any) => return &pattern[i..],
            Some(seg) if seg.meets(dir) => {}
            _ => return &[],
        }
    }
    pattern.get(root.len()..).unwrap_or_default()
}

/// `name.ext` with a short alphanumeric extension (`main.rs`, `q3.csv`,
/// `site.tar.gz`), as files are named and directories seldom are; a
/// leading dot (`.ssh`, `.claude`) is a hidden name, not an extension.
fn has_file_extension(name: &str) -> bool {
    match name.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.trim_start_matches('.').is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && ext.chars().any(|c| c.is_ascii_alphabetic())
        }
        None => false,
    }
}

fn literal_segments(path: &str) -> Vec<Seg> {
    path_segments(path)
        .map(|s| Seg::Literal(s.to_string()))
        .collect()
}

/// States of the segment automaton reachable from `states` without input.
fn close(pattern: &[Seg], states: &mut [bool]) {
    for i in 0..pattern.len() {
        if states[i] && matches!(pattern[i], Seg::Any) {
            states[i + 1] = true;
        }
    }
}

/// (matches `path` or an ancestor of it, could match something below `path`).
///
/// The automaton's states fit a bit set for any realistic glob; longer
/// patterns take the general path.
fn walk(pattern: &[Seg], path: &[&str]) -> (bool, bool) {
    let n = pattern.len();
    if n >= 128 {
        return walk_long(pattern, path);
    }
    // `**/x` (every glob without a `/`): some segment matches `x`; the
    // leading `**` keeps every deeper path possible.
    if let [Seg::Any, last] = pattern
        && !matches!(last, Seg::Any)
    {
        return (path.iter().any(|s| last.matches(s)), true);
    }
    // Leading literal segments (the home or workspace a glob is anchored
    // to) admit one path only: compare them directly.
    let mut k = 0;
    while let Some(Seg::Literal(l)) = pattern.get(k) {
        match path.get(k) {
            // `path` is an ancestor of what the glob could match.
            None => return (false, true),
            Some(s) if *s == l.as_str() => k += 1,
            Some(_) => return (false, false),
        }
    }
    let any: u128 = pattern
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s, Seg::Any))
        .fold(0, |acc, (i, _)| acc | (1 << i));
    // Epsilon closure: a `**` at state i also reaches state i + 1.
    let close = |mut states: u128| {
        for i in 0..n {
            if states & any & (1 << i) != 0 {
                states |= 1 << (i + 1);
            }
        }
        states
    };
    let accept: u128 = 1 << n;
    let mut states = close(1 << k);
    let mut matched = states & accept != 0;
    for seg in path.get(k..).unwrap_or_default() {
        let mut next: u128 = 0;
        for (i, p) in pattern.iter().enumerate() {
            if states & (1 << i) == 0 {
                continue;
            }
            match p {
                Seg::Any => next |= 1 << i,
                p if p.matches(seg) => next |= 1 << (i + 1),
                _ => {}
            }
        }
        states = close(next);
        if states & accept != 0 {
            matched = true;
        }
        if states == 0 {
            return (matched, false);
        }
    }
    (matched, states & !accept != 0)
}

fn walk_long(pattern: &[Seg], path: &[&str]) -> (bool, bool) {
    let n = pattern.len();
    let mut states = vec![false; n + 1];
    states[0] = true;
    close(pattern, &mut states);
    let mut matched = states[n];
    for seg in path {
        let mut next = vec![false; n + 1];
        for i in 0..n {
            if !states[i] {
                continue;
            }
            match &pattern[i] {
                Seg::Any => next[i] = true,
                p => {
                    if p.matches(seg) {
                        next[i + 1] = true;
                    }
                }
            }
        }
        close(pattern, &mut next);
        states = next;
        if states[n] {
            matched = true;
        }
        if !states.iter().any(|s| *s) {
            return (matched, false);
        }
    }
    let below = states[..n].iter().any(|s| *s);
    (matched, below)
}

/// [`walk`] for a path with glob segments (`exports/*.csv`, `certs/**/*.pem`
/// as a find's `{}` stands): a search of the pair automaton, where the
/// glob's `**` and the path's `**` each take any number of segments and two
/// segments pair when some name matches both ([`Seg::meets`]). A glob
/// that may match anywhere (`*.pem`) meets only a path glob that names its
/// ends (`certs/*.pem`, not `logs/app*`): what a directory holds is not
/// guessed.
fn walk_glob(pattern: &[Seg], path: &[&str]) -> (bool, bool) {
    let (n, m) = (pattern.len(), path.len());
    let open_ended = !matches!(pattern.first(), Some(Seg::Any));
    let width = m + 1;
    let mut seen = vec![false; (n + 1) * width];
    let mut stack = vec![(0, 0)];
    let (mut matched, mut below) = (false, false);
    while let Some((i, j)) = stack.pop() {
        if std::mem::replace(&mut seen[i * width + j], true) {
            continue;
        }
        matched |= i == n;
        below |= j == m && i < n;
        let ours_any = matches!(pattern.get(i), Some(Seg::Any));
        let theirs_any = path.get(j) == Some(&"**");
        if ours_any {
            stack.push((i + 1, j));
        }
        if theirs_any {
            stack.push((i, j + 1));
        }
        let (Some(seg), Some(name)) = (pattern.get(i), path.get(j)) else {
            continue;
        };
        match (ours_any, theirs_any) {
            (true, true) => {}
            (true, false) => stack.push((i, j + 1)),
            // The path's `**` stands for directories an anchored glob
            // names (`exports/**/x` holds `exports/2025/x`), never for the
            // glob's last name (which would make it hold `x`), nor for any
            // name of a glob that may match anywhere.
            (false, true) if open_ended && i + 1 < n => stack.push((i + 1, j)),
            (false, true) => {}
            (false, false) => {
                if seg.meets_as(name, open_ended) {
                    stack.push((i + 1, j + 1));
                }
            }
        }
    }
    (matched, below)
}

impl<L: Clone> PathLabels<L> {
    /// Compiles `entries` for a workspace and a home directory (both absolute).
    pub fn new(entries: &[(String, L)], workspace: &str, home: &str) -> Result<Self, GlobError> {
        Self::for_style(entries, workspace, home, PathStyle::Posix)
    }

    /// [`PathLabels::new`] for paths written in `style`: the workspace,
    /// the home and the globs are read as [`PathStyle::local`] reads them.
    pub fn for_style(
        entries: &[(String, L)],
        workspace: &str,
        home: &str,
        style: PathStyle,
    ) -> Result<Self, GlobError> {
        let fold_case = style == PathStyle::Windows;
        let fold = |text: String| if fold_case { text.to_lowercase() } else { text };
        let home = fold(normalize(&style.local(home), "/", "/"));
        let workspace = fold(normalize(&style.local(workspace), "/", &home));
        let mut compiled = Vec::with_capacity(entries.len());
        for (glob, label) in entries {
            let local = fold(style.local(glob.trim()).into_owned());
            let g = local.as_str();
            let err = |message: &str| GlobError {
                glob: glob.clone(),
                message: message.to_string(),
            };
            let body = g.trim_end_matches('/');
            if body.is_empty() && !g.starts_with('/') {
                return Err(err("empty glob"));
            }
            let mut patterns = Vec::new();
            let home_rest = ["~", "$HOME", "${HOME}"].iter().find_map(|p| {
                body.strip_prefix(p)
                    .filter(|r| r.is_empty() || r.starts_with('/'))
            });
            if let Some(rest) = home_rest {
                let mut p = literal_segments(&home);
                p.extend(compile_segments(glob, rest)?);
                patterns.push(p);
            } else if body.starts_with('/') || g == "/" {
                patterns.push(compile_segments(glob, body)?);
            } else {
                let body = body.strip_prefix("./").unwrap_or(body);
                let segs = compile_segments(glob, body)?;
                if segs.is_empty() {
                    return Err(err("empty glob"));
                }
                if !body.contains('/') {
                    // Last segment, anywhere.
                    let mut p = vec![Seg::Any];
                    p.extend(segs);
                    patterns.push(p);
                } else if matches!(segs.first(), Some(Seg::Any)) {
                    patterns.push(segs);
                } else {
                    let mut p = literal_segments(&workspace);
                    p.extend(segs);
                    patterns.push(p);
                }
            }
            compiled.push(Entry {
                glob: glob.clone(),
                label: label.clone(),
                patterns,
            });
        }
        Ok(PathLabels {
            entries: compiled,
            workspace,
            home,
            fold_case,
        })
    }

    /// Labels of every glob that matches `path` (absolute, normalised). When
    /// `recursive` is true, also of every glob that could match some path
    /// below `path` (`tar` of the workspace root matches `**/.env` and
    /// `data/customers*.csv`; of `src` it matches `**/.env` but not
    /// `data/customers*.csv`).
    ///
    /// One label per matching entry, in the order the entries were given
    /// (entries sharing a label give it more than once). A relative `path`
    /// is taken from the workspace and `path` is normalised lexically first.
    pub fn labels(&self, path: &str, recursive: bool) -> Vec<L> {
        let mut out = Vec::new();
        self.each_match(path, recursive, &[], |e| out.push(e.label.clone()));
        out
    }

    /// Like [`PathLabels::labels`] for a tree read without the entries
    /// named by `excludes` (`rsync --exclude .env`, `tar --exclude='*.pem'`,
    /// `zip -x 'secrets/*'`). A glob that matches only below `path` is left
    /// out when an exclude names one of its segments below `path`: the
    /// exclude `.env` leaves out `**/.env`, `*.pem` leaves out `**/*.pem`
    /// and `secrets` leaves out `secrets/**`, but `.env` does not leave out
    /// `**/.env.*`. An exclude with a `/` inside (`config/.env`, `/.env`)
    /// leaves out one place only and is not compared.
    pub fn labels_excluding(&self, path: &str, recursive: bool, excludes: &[String]) -> Vec<L> {
        let mut out = Vec::new();
        self.each_match(path, recursive, excludes, |e| out.push(e.label.clone()));
        out
    }

    /// Like [`PathLabels::labels`], with each matching entry's glob as written.
    pub fn matching(&self, path: &str, recursive: bool) -> Vec<(&str, &L)> {
        let mut out = Vec::new();
        self.each_match(path, recursive, &[], |e| {
            out.push((e.glob.as_str(), &e.label))
        });
        out
    }

    /// Calls `found` with every entry matching `path`, in order.
    ///
    /// A path that a glob names itself, or whose name has a file extension
    /// (`README.md`), is taken for a file even when `recursive` (`tar` or
    /// `scp -r` of it): what a directory of that name might hold is not
    /// guessed. Nor is a glob that may match anywhere guessed below any
    /// directory but the workspace, the home and their parents (`tar` of
    /// `src` is not assumed to hold a `.env`; of the workspace it is).
    fn each_match<'s>(
        &'s self,
        path: &str,
        recursive: bool,
        excludes: &[String],
        mut found: impl FnMut(&'s Entry<L>),
    ) {
        let excludes: Vec<&str> = excludes
            .iter()
            .map(|e| e.trim_end_matches('/'))
            .filter(|e| !e.is_empty() && !e.contains('/'))
            .collect();
        let path = self.local(path);
        let segs: Vec<&str> = path_segments(&path).collect();
        let walk = if is_glob(&path) { walk_glob } else { walk };
        let recursive = recursive
            && !segs.last().is_some_and(|name| has_file_extension(name))
            && !self
                .entries
                .iter()
                .any(|e| e.patterns.iter().any(|p| walk(p, &segs).0));
        // A glob that may match anywhere (`**/.env`, `*.pem`) is guessed
        // below the workspace, the home and their parents, where such files
        // are kept; any other directory is not assumed to hold one.
        let holds_anywhere_globs =
            is_within(&self.workspace, &path) || is_within(&self.home, &path);
        for e in &self.entries {
            if e.patterns.iter().any(|p| {
                let (matched, below) = walk(p, &segs);
                let anywhere = matches!(p.first(), Some(Seg::Any));
                matched
                    || (recursive
                        && below
                        && (holds_anywhere_globs || !anywhere)
                        && !left_out(p, segs.len(), &excludes))
            }) {
                found(e);
            }
        }
    }

    /// True when a path this set labels may lie below `root` with `name`
    /// (a `find -name` glob such as `*.json`) as one of its names below
    /// `root`: what `find ROOT -name NAME -delete` can remove. Only the
    /// globs' literal names are compared (`.claude/settings.json` is
    /// reached by `*.json` or `.claude`); a name a glob leaves open
    /// (`.writ/**`'s files) is not guessed.
    pub fn may_hold_named(&self, root: &str, name: &str) -> bool {
        let name = if self.fold_case {
            Cow::Owned(name.to_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        let Ok(wanted) = compile_segment(&name, &name) else {
            return false;
        };
        let root = self.local(root);
        let root: Vec<&str> = path_segments(&root).collect();
        self.entries.iter().any(|e| {
            e.patterns.iter().any(|p| {
                below(p, &root)
                    .iter()
                    .any(|seg| matches!(seg, Seg::Literal(l) if wanted.matches(l)))
            })
        })
    }

    /// True when a glob names `root` or something below it through `root`'s
    /// own segments: what deleting or moving the directory `root` takes
    /// with it (`.claude` holds `.claude/settings.json`, `~` holds
    /// `~/.ssh/**`, `.writ/keys` is within `.writ/**`). A glob that could
    /// match below any directory (`**/x`) is not counted: that `root` holds
    /// one is not known.
    pub fn holds_below(&self, root: &str) -> bool {
        let root = self.local(root);
        let root: Vec<&str> = path_segments(&root).collect();
        self.entries.iter().any(|e| {
            e.patterns.iter().any(|p| {
                if matches!(p.first(), Some(Seg::Any)) {
                    return false;
                }
                for (i, dir) in root.iter().enumerate() {
                    match p.get(i) {
                        // Anchored this far, the glob reaches everything below.
                        Some(Seg::Any) => return true,
                        Some(seg) if seg.meets(dir) => {}
                        _ => return false,
                    }
                }
                true
            })
        })
    }

    /// `path` resolved from the workspace, lower-cased when names compare
    /// ignoring case.
    fn local(&self, path: &str) -> String {
        let path = normalize(path, &self.workspace, &self.home);
        if self.fold_case {
            path.to_lowercase()
        } else {
            path
        }
    }

    /// True when no glob was given.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod walk_tests {
    use super::*;

    #[test]
    fn a_directory_holds_the_globs_anchored_below_it() {
        let governance = PathLabels::new(
            &[
                (".claude/settings.json".to_owned(), ()),
                (".writ/**".to_owned(), ()),
                ("~/.codex/config.toml".to_owned(), ()),
                ("**/hooks.json".to_owned(), ()),
            ],
            "/home/dana/ws",
            "/home/dana",
        )
        .unwrap();
        for (root, holds) in [
            ("/home/dana/ws/.claude", true),
            ("/home/dana/ws/.claude/settings.json", true),
            ("/home/dana/ws/.writ", true),
            ("/home/dana/ws/.writ/keys", true),
            ("/home/dana/.codex", true),
            ("/home/dana", true),
            ("/home/dana/ws/src", false),
            ("/home/dana/ws/.claude-old", false),
            ("/tmp", false),
        ] {
            assert_eq!(governance.holds_below(root), holds, "{root}");
        }
    }

    #[test]
    fn a_named_find_reaches_the_governance_files_its_names_match() {
        let governance = PathLabels::new(
            &[
                (".claude/settings.json".to_owned(), ()),
                (".writ/**".to_owned(), ()),
                ("~/.codex/config.toml".to_owned(), ()),
            ],
            "/home/dana/ws",
            "/home/dana",
        )
        .unwrap();
        for (root, name, reached) in [
            ("/home/dana/ws", "settings.json", true),
            ("/home/dana/ws", "*.json", true),
            ("/home/dana/ws", ".claude", true),
            ("/home/dana/ws", ".writ", true),
            ("/home/dana", "config.*", true),
            ("/home/dana/ws", "*.pyc", false),
            ("/home/dana/ws", "__pycache__", false),
            ("/home/dana/ws/src", "*.json", false),
            ("/home/dana/ws", "config.toml", false),
            // A name `.writ/**` leaves open is not guessed.
            ("/home/dana/ws", "*.db", false),
        ] {
            assert_eq!(
                governance.may_hold_named(root, name),
                reached,
                "{root} {name}"
            );
        }
    }

    #[test]
    fn windows_paths_are_read_in_git_bash_form() {
        let windows = PathStyle::Windows;
        for (path, local) in [
            (r"C:\Users\ana\claims-portal", "/c/Users/ana/claims-portal"),
            ("C:/Users/ana", "/c/Users/ana"),
            ("d:", "/d"),
            (r"\\?\C:\Users\ana", "/c/Users/ana"),
            (r"\\fs01\claims\2026", "/UNC/fs01/claims/2026"),
            (r"\\?\UNC\fs01\claims", "/UNC/fs01/claims"),
            (r".writ\policy\default.cedar", ".writ/policy/default.cedar"),
            (r"~\.azure\**", "~/.azure/**"),
            (r"%USERPROFILE%\.azure", "~/.azure"),
            (r"$env:userprofile\.ssh\id_rsa", "~/.ssh/id_rsa"),
            ("$home", "~"),
            ("$HOMEPATH", "$HOMEPATH"),
            ("C:relative", "C:relative"),
        ] {
            assert_eq!(windows.local(path), local, "{path}");
        }
        // POSIX paths keep their backslashes; a drive path is one anywhere.
        assert_eq!(PathStyle::Posix.local(r"a\b"), r"a\b");
        assert_eq!(PathStyle::Posix.local(r"C:\x\y"), "/c/x/y");
        assert_eq!(PathStyle::of(r"C:\Users\ana"), PathStyle::Windows);
        assert_eq!(PathStyle::of(r"\\fs01\home\ana"), PathStyle::Windows);
        assert_eq!(PathStyle::of("/c/Users/ana"), PathStyle::Posix);
        assert_eq!(PathStyle::of("claims-portal"), PathStyle::Posix);
    }

    #[test]
    fn a_path_within_a_directory_ignoring_case_is_spelt_as_it() {
        let ws = "/c/Users/ana/claims-portal";
        for (path, spelt) in [
            (
                "/c/users/ANA/Claims-Portal/src/x.cs",
                Some("/c/Users/ana/claims-portal/src/x.cs"),
            ),
            ("/c/Users/ana/claims-portal", Some(ws)),
            ("/c/users/ana/claims-portal2/x", None),
            ("/c/Users/ana", None),
        ] {
            assert_eq!(respell_within(path, ws).as_deref(), spelt, "{path}");
        }
    }

    #[test]
    fn windows_globs_match_ignoring_case() {
        let labels = PathLabels::for_style(
            &[
                (r"~\.azure\**".to_owned(), "secret"),
                ("**/appsettings.Production.json".to_owned(), "secret"),
                (".writ/**".to_owned(), "governance"),
                (r"C:\ProgramData\writ\*.key".to_owned(), "secret"),
            ],
            r"C:\Users\ana\claims-portal",
            r"C:\Users\ana",
            PathStyle::Windows,
        )
        .unwrap();
        for (path, want) in [
            ("/c/Users/ana/.azure/msal_token_cache.json", vec!["secret"]),
            ("/c/users/ana/.AZURE/x.json", vec!["secret"]),
            (
                "/c/Users/ana/claims-portal/src/APPSETTINGS.production.json",
                vec!["secret"],
            ),
            (
                "/c/Users/ana/claims-portal/.Writ/policy/default.cedar",
                vec!["governance"],
            ),
            ("/c/ProgramData/writ/ledger.KEY", vec!["secret"]),
            ("/c/Users/ana/claims-portal/src/app.cs", vec![]),
        ] {
            assert_eq!(labels.labels(path, false), want, "{path}");
        }
        assert!(labels.holds_below("/C/Users/ANA/Claims-Portal/.WRIT"));
        assert!(labels.may_hold_named("/c/users/ana/claims-portal", "*.JSON"));
    }

    /// The previous, allocating `normalize`, as the reference.
    fn normalize_reference(path: &str, base: &str, home: &str) -> String {
        let mut expanded = path.to_string();
        for prefix in ["~", "$HOME", "${HOME}"] {
            let rest = path
                .strip_prefix(prefix)
                .filter(|r| r.is_empty() || r.starts_with('/'));
            if let Some(rest) = rest {
                expanded = format!("{}{}", home, rest);
                break;
            }
        }
        let full = if expanded.starts_with('/') {
            expanded
        } else {
            format!("/{}/{}", base, expanded)
        };
        let mut segs: Vec<&str> = Vec::new();
        for seg in full.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    segs.pop();
                }
                s => segs.push(s),
            }
        }
        format!("/{}", segs.join("/"))
    }

    #[test]
    fn normalize_agrees_with_the_reference() {
        let paths = [
            "",
            ".",
            "..",
            "/",
            "//",
            "a",
            "a/b/../c",
            "../../x",
            "/a/./b/",
            "~",
            "~/",
            "~/.ssh",
            "~x",
            "$HOME",
            "$HOME/a/..",
            "${HOME}/../..",
            "$HOMEx",
            "./~/a",
            "a//b///c/.",
            "/../a",
            "~/../../../..",
            "x/..",
        ];
        let bases = ["/w/s", "/", "", "w", "/w/../v/"];
        let homes = ["/home/dana", "/", "", "rel/home", "/h/"];
        for path in paths {
            for base in bases {
                for home in homes {
                    assert_eq!(
                        normalize(path, base, home),
                        normalize_reference(path, base, home),
                        "{path:?} {base:?} {home:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_glob_the_shell_left_unexpanded_meets_the_labels_of_what_it_can_name() {
        let labels = PathLabels::new(
            &[
                ("exports/ledger*.csv".to_owned(), "confidential"),
                ("**/.env".to_owned(), "secret"),
                ("*.pem".to_owned(), "secret"),
                ("keys/{prod,live}.key".to_owned(), "secret"),
                (".claude/settings.json".to_owned(), "governance"),
            ],
            "/home/dana/ws",
            "/home/dana",
        )
        .unwrap();
        for (path, want) in [
            ("exports/*.csv", vec!["confidential"]),
            ("exports/ledger-202?.csv", vec!["confidential"]),
            ("exports/[lm]*", vec!["confidential"]),
            ("exports/{ledger,journal}-2026.csv", vec!["confidential"]),
            ("exports/*.json", vec![]),
            ("exports/journal*", vec![]),
            ("*/ledger-2026.csv", vec!["confidential"]),
            ("exports/**/ledger*", vec!["confidential"]),
            ("**/*.csv", vec!["confidential"]),
            // The shell's `*` does not match a leading dot, and a glob
            // that names no kind of file is not taken for a `*.pem`.
            ("*", vec![]),
            ("*.txt", vec![]),
            ("*.p?m", vec!["secret"]),
            (".e*", vec!["secret"]),
            ("certs/*", vec![]),
            ("certs/*.pem", vec!["secret"]),
            ("certs/*.crt", vec![]),
            ("keys/*.key", vec!["secret"]),
            ("keys/dev.*", vec![]),
            (".claude/*", vec!["governance"]),
            (".claude/*.local.json", vec![]),
        ] {
            assert_eq!(labels.labels(path, false), want, "{path}");
        }
        // A directory glob holds what is anchored below it.
        assert!(labels.holds_below(".cl*"));
        assert!(!labels.holds_below("src*"));
    }

    #[test]
    fn token_globs_meet_when_some_name_matches_both() {
        for (a, b, meet) in [
            ("*.csv", "ledger*.csv", true),
            ("*.csv", "*.json", false),
            ("a*b*c", "*x*", true),
            ("a?c", "a[bd]c", true),
            ("ab", "a", false),
            ("*", "", true),
            ("?", "", false),
            ("x\\*", "x*", true),
            ("x\\*", "xy", false),
            ("[", "[", true),
        ] {
            let (a, b) = (tokens(a), tokens(b));
            assert_eq!(tokens_meet(&a, &b), meet, "{a:?} {b:?}");
            assert_eq!(tokens_meet(&b, &a), meet, "{b:?} {a:?}");
        }
    }

    /// The bit-set automaton agrees with the general one.
    #[test]
    fn bitset_walk_matches_the_general_walk() {
        let globs = [
            "**/.env",
            "data/customers*.csv",
            "~/.ssh/**",
            "*.pem",
            "/etc/shadow",
            "a/**/b/*",
        ];
        let paths = [
            "/home/dana/acme-web/.env",
            "/home/dana/acme-web",
            "/home/dana/acme-web/data",
            "/home/dana/acme-web/data/customers_1.csv",
            "/home/dana/.ssh",
            "/home/dana",
            "/",
            "/etc",
            "/x/a/q/b/z",
            "/home/dana/acme-web/a/b",
        ];
        for glob in globs {
            let labels = PathLabels::new(
                &[(glob.to_owned(), ())],
                "/home/dana/acme-web",
                "/home/dana",
            )
            .unwrap();
            for pattern in &labels.entries[0].patterns {
                for path in paths {
                    let segs: Vec<&str> = path_segments(path).collect();
                    assert_eq!(
                        walk(pattern, &segs),
                        walk_long(pattern, &segs),
                        "{glob} on {path}"
                    );
                }
            }
        }
    }
}
