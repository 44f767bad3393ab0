//! What a directory listing showed: the entries a step's output names,
//! as absolute paths under the directories the step listed
//! ([`writ_shell::Listing`]).
//!
//! Read line by line, each line by its shape: `ls -l` and `find -ls`
//! rows (the last column), plain `ls` (every name), `find` (a path per
//! line), cmd's `dir` (rows under `Directory of X`, or bare names and
//! paths), PowerShell's tables (the `Name` or `FullName` column, under
//! `Directory: X`) and lists (`Name : x`), `tree` (names nested by their
//! indentation), and the section headers of `ls -R` (`deploy/sub:`).

use writ_detect::paths::is_within;
use writ_shell::Listing;

/// The most entries one step's output gives.
pub const STEP_ENTRIES: usize = 512;

/// How a path from the output becomes absolute: `(path, base)` to the
/// absolute, normalised path (a Windows path in the deployment's spelling).
pub type Resolve<'a> = dyn Fn(&str, &str) -> String + 'a;

/// The entries `output` shows of the directories in `listings`: each
/// strictly below one of them, once, in order, at most [`STEP_ENTRIES`].
/// `fold_case` compares paths ignoring case (Windows).
pub fn entries(
    output: &str,
    listings: &[Listing],
    resolve: &Resolve<'_>,
    fold_case: bool,
) -> Vec<String> {
    let Some(first) = listings.first() else {
        return Vec::new();
    };
    let output = stdout_of(output);
    let mut reader = Reader {
        listings,
        resolve,
        section: first.dir.clone(),
        column: None,
        tree: None,
        previous: String::new(),
        started: false,
        previous_found: 0,
        found: Vec::new(),
    };
    for line in output.lines() {
        let line = line.trim_end_matches('\r');
        let before = reader.found.len();
        reader.line(line);
        reader.previous_found = before;
        reader.previous = line.to_owned();
        if reader.found.len() >= STEP_ENTRIES * 2 {
            break;
        }
    }
    let mut out: Vec<String> = Vec::new();
    for path in reader.found {
        let inside = listings
            .iter()
            .any(|l| below(&path, &l.dir, fold_case) && !same(&path, &l.dir, fold_case));
        if inside && !out.contains(&path) {
            out.push(path);
            if out.len() >= STEP_ENTRIES {
                break;
            }
        }
    }
    out
}

/// The files a package listing's output names ([`Listing::package`]), as
/// absolute paths below the packaged directory, at most
/// [`STEP_ENTRIES`]: npm's (pnpm's, yarn's) `SIZE PATH` rows under
/// `Tarball Contents`, with or without the `npm notice` prefix, and
/// cargo's one relative path per line.
pub fn package_entries(output: &str, listing: &Listing, resolve: &Resolve<'_>) -> Vec<String> {
    let output = stdout_of(output);
    let mut out: Vec<String> = Vec::new();
    for line in output.lines() {
        let line = line.trim();
        let row = line
            .strip_prefix("npm notice")
            .or_else(|| line.strip_prefix("npm NOTICE"))
            .unwrap_or(line)
            .trim();
        let words: Vec<&str> = row.split_whitespace().collect();
        let path = match words.as_slice() {
            [size, path] if is_size(size) => *path,
            [path] if !line.starts_with("npm") && is_relative_file(path) => *path,
            _ => continue,
        };
        let entry = resolve(path, &listing.dir);
        if is_within(&entry, &listing.dir)
            && !same(&entry, &listing.dir, false)
            && !out.contains(&entry)
        {
            out.push(entry);
            if out.len() >= STEP_ENTRIES {
                break;
            }
        }
    }
    out
}

/// npm's size column: `214B`, `1.1kB`, `48.2MB`.
fn is_size(word: &str) -> bool {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    word.ends_with('B')
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// A path as cargo lists a package's files: relative, with no spaces,
/// colons or shell punctuation (`src/main.rs`, `.cargo_vcs_info.json`).
fn is_relative_file(word: &str) -> bool {
    !word.starts_with(['/', '-', '~'])
        && !word.contains([':', '=', '$', '(', ')', '[', ']', '<', '>'])
        && word.chars().any(|c| c.is_ascii_alphanumeric())
}

/// A tool's response that carries the streams as JSON (`{"stdout": ...}`)
/// shows its standard output; any other output is the text itself.
fn stdout_of(output: &str) -> std::borrow::Cow<'_, str> {
    if output.trim_start().starts_with('{')
        && let Ok(serde_json::Value::Object(response)) =
            serde_json::from_str::<serde_json::Value>(output)
        && let Some(stdout) = response.get("stdout").and_then(serde_json::Value::as_str)
    {
        return std::borrow::Cow::Owned(stdout.to_owned());
    }
    std::borrow::Cow::Borrowed(output)
}

fn below(path: &str, dir: &str, fold_case: bool) -> bool {
    if fold_case {
        is_within(&path.to_lowercase(), &dir.to_lowercase())
    } else {
        is_within(path, dir)
    }
}

fn same(a: &str, b: &str, fold_case: bool) -> bool {
    let (a, b) = (a.trim_end_matches('/'), b.trim_end_matches('/'));
    if fold_case {
        a.to_lowercase() == b.to_lowercase()
    } else {
        a == b
    }
}

/// A table's column of names: where it starts and ends (in characters;
/// `None`: the rest of the line), and whether it holds full paths.
#[derive(Debug, Clone, Copy)]
struct Column {
    start: usize,
    end: Option<usize>,
    full: bool,
}

struct Reader<'a> {
    listings: &'a [Listing],
    resolve: &'a Resolve<'a>,
    /// The directory the lines now list (a section header's, else the
    /// first listing's).
    section: String,
    /// A PowerShell table's name column, once its header was seen.
    column: Option<Column>,
    /// The directories of a `tree`'s open branches, by depth (the root
    /// first), once a tree line was seen.
    tree: Option<Vec<String>>,
    previous: String,
    /// A line that names entries was seen.
    started: bool,
    /// How many entries were found before the previous line.
    previous_found: usize,
    found: Vec<String>,
}

impl Reader<'_> {
    fn line(&mut self, line: &str) {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return;
        }
        // Section headers: PowerShell's, cmd's, and `ls`'s (`deploy/sub:`).
        if let Some(dir) = strip_prefix_ignoring_case(trimmed, "Directory: ")
            .or_else(|| strip_prefix_ignoring_case(trimmed, "Directory of "))
        {
            self.section = (self.resolve)(dir.trim(), &self.section);
            self.column = None;
            self.tree = None;
            return;
        }
        if is_dashes(trimmed) {
            // The line above was the table's header, not names.
            self.found.truncate(self.previous_found);
            self.column = name_column(&self.previous, line);
            return;
        }
        if skipped(trimmed) {
            return;
        }
        // PowerShell's list view: `Name : .env`, `FullName : C:\x\.env`.
        if let Some((key, value)) = trimmed.split_once(" : ") {
            let key = key.trim();
            let value = value.trim();
            if key.eq_ignore_ascii_case("FullName") {
                self.absolute(value);
                return;
            }
            if key.eq_ignore_ascii_case("Name") || key.eq_ignore_ascii_case("PSChildName") {
                self.name(value);
                return;
            }
        }
        if let Some(column) = self.column
            && let Some(name) = cut(line, column)
        {
            if column.full {
                self.absolute(&name);
            } else {
                self.name(&name);
            }
            return;
        }
        if self.tree_line(line) {
            return;
        }
        if !line.starts_with(char::is_whitespace)
            && let Some(header) = trimmed.strip_suffix(':')
            && !header.contains(": ")
            && !header.is_empty()
        {
            self.section = self.locate(header);
            return;
        }
        let words: Vec<&str> = trimmed.split_whitespace().collect();
        let first = !std::mem::replace(&mut self.started, true);
        // The directory itself, first (`find deploy`, `tree deploy`).
        if first && words.len() == 1 {
            let path = self.locate(trimmed);
            self.found.push(path);
            return;
        }
        if let Some(name) = long_row_name(trimmed, &words) {
            self.path_or_name(&name);
            return;
        }
        // An error message (`ls: cannot access 'x': No such file`).
        if trimmed.contains(": ") {
            return;
        }
        // A path per line (`find`, `dir /s /b`), else names (`ls`).
        if trimmed.contains(['/', '\\']) {
            self.path_or_name(trimmed);
            return;
        }
        for word in words {
            self.name(word.trim_end_matches(','));
        }
    }

    /// A line of `tree`'s drawing (`├── .env`, `│   └── x`, `|-- x`,
    /// Windows' `├───sub`, `+---sub`), or its root (the line before the
    /// first drawn one). True when it was one.
    fn tree_line(&mut self, line: &str) -> bool {
        let drawn = |text: &str| {
            let text = text.trim_start_matches(' ');
            text.starts_with(['│', '├', '└'])
                || ["|-- ", "`-- ", "|   ", "+---", "\\---"]
                    .iter()
                    .any(|p| text.starts_with(p))
        };
        let continued = self.tree.is_some() && line.starts_with(' ');
        if !(drawn(line) || continued) {
            return false;
        }
        if self.tree.is_none() {
            // The root: the line above the drawing (`deploy`, `.`, `C:.`).
            let root = self.previous.trim();
            let root = if root.is_empty() || root == "." || root.ends_with(":.") {
                self.section.clone()
            } else {
                self.locate(root)
            };
            self.tree = Some(vec![root]);
        }
        const DRAWING: &[char] = &['│', '├', '└', '─', ' ', '\u{a0}', '|', '`', '-', '+', '\\'];
        let name_at = line
            .char_indices()
            .find(|(_, c)| !DRAWING.contains(c))
            .map(|(at, _)| at);
        let Some(at) = name_at else {
            return true;
        };
        let depth = line.get(..at).unwrap_or_default().chars().count() / 4;
        let name = line.get(at..).unwrap_or_default().trim();
        // `tree -p`/`-s` print `[-rw-r--r--  412]  name`.
        let name = match name.strip_prefix('[').and_then(|r| r.split_once(']')) {
            Some((_, rest)) => rest.trim(),
            None => name,
        };
        let name = name.split(" -> ").next().unwrap_or(name);
        let Some(stack) = self.tree.as_mut() else {
            return true;
        };
        if depth == 0 || name.is_empty() {
            return true;
        }
        stack.truncate(depth);
        let parent = stack
            .last()
            .cloned()
            .unwrap_or_else(|| self.section.clone());
        let path = if name.contains('/') {
            // `tree -f` prints paths.
            self.locate(name)
        } else {
            format!("{}/{name}", parent.trim_end_matches('/'))
        };
        if let Some(stack) = self.tree.as_mut() {
            while stack.len() < depth {
                stack.push(parent.clone());
            }
            stack.push(path.clone());
        }
        self.found.push(path);
        true
    }

    /// A name in the current section.
    fn name(&mut self, name: &str) {
        let name = name.trim_end_matches('/');
        if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\']) {
            if name.contains(['/', '\\']) {
                self.path_or_name(name);
            }
            return;
        }
        let path = format!("{}/{name}", self.section.trim_end_matches('/'));
        self.found.push(path);
    }

    /// A path as printed (relative to where the command ran), or a name.
    fn path_or_name(&mut self, text: &str) {
        let text = text.trim_end_matches('/');
        if !text.contains(['/', '\\']) {
            self.name(text);
            return;
        }
        let path = self.locate(text);
        self.found.push(path);
    }

    /// An absolute path as printed (`FullName`).
    fn absolute(&mut self, text: &str) {
        let path = (self.resolve)(text, &self.section);
        self.found.push(path);
    }

    /// Where a path printed relative to the command's working directory
    /// lies: absolute as it is; else below the listed directory whose
    /// last names it starts with (`find deploy` prints `deploy/.env`),
    /// or below the current section (`find .` prints `./deploy/.env`).
    fn locate(&self, text: &str) -> String {
        let slashed = text.replace('\\', "/");
        let windows_absolute = slashed.as_bytes().get(1) == Some(&b':');
        if slashed.starts_with(['/', '~']) || windows_absolute {
            return (self.resolve)(text, &self.section);
        }
        let names: Vec<&str> = slashed
            .split('/')
            .filter(|s| !s.is_empty() && *s != "." && *s != "..")
            .collect();
        for listing in self.listings {
            let dir: Vec<&str> = listing.dir.split('/').filter(|s| !s.is_empty()).collect();
            let most = dir.len().min(names.len());
            for k in (1..=most).rev() {
                let tail = dir.get(dir.len() - k..).unwrap_or_default();
                let head = names.get(..k).unwrap_or_default();
                if tail == head {
                    let rest = names.get(k..).unwrap_or_default().join("/");
                    return (self.resolve)(&rest, &listing.dir);
                }
            }
        }
        (self.resolve)(&names.join("/"), &self.section)
    }
}

/// `text` without `prefix`, compared ignoring ASCII case.
fn strip_prefix_ignoring_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// A table's underline (`----   -------------  ----`).
fn is_dashes(text: &str) -> bool {
    text.contains("--") && text.chars().all(|c| c == '-' || c == ' ')
}

/// The column of names a table header shows above its underline: the
/// `FullName` column, else `Name` (`PSChildName`).
fn name_column(header: &str, underline: &str) -> Option<Column> {
    let chars: Vec<char> = underline.chars().collect();
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        if chars.get(at) == Some(&'-') {
            let start = at;
            while chars.get(at) == Some(&'-') {
                at += 1;
            }
            groups.push((start, at));
        } else {
            at += 1;
        }
    }
    let header: Vec<char> = header.chars().collect();
    let title = |(start, end): (usize, usize)| -> String {
        header
            .get(start..end.min(header.len()))
            .unwrap_or_default()
            .iter()
            .collect::<String>()
            .trim()
            .to_owned()
    };
    let find = |wanted: &str| {
        groups
            .iter()
            .position(|g| title(*g).eq_ignore_ascii_case(wanted))
    };
    let (index, full) = match find("FullName") {
        Some(index) => (index, true),
        None => (find("Name").or_else(|| find("PSChildName"))?, false),
    };
    let (start, _) = *groups.get(index)?;
    let end = groups.get(index + 1).map(|(next, _)| *next);
    Some(Column { start, end, full })
}

/// The name in a table row's column.
fn cut(line: &str, column: Column) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let end = column.end.unwrap_or(chars.len()).min(chars.len());
    let name: String = chars.get(column.start..end)?.iter().collect();
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// Lines that name no entry: totals, volume and summary lines.
fn skipped(trimmed: &str) -> bool {
    let lower = trimmed.to_ascii_lowercase();
    let total = lower.strip_prefix("total ").is_some_and(|n| {
        n.chars()
            .all(|c| c.is_ascii_digit() || ".,kmgt".contains(c))
    });
    let tree_summary = lower.ends_with(" files")
        || lower.ends_with(" file")
        || lower.ends_with(" directories")
        || lower.ends_with(" directory");
    let tree_summary = tree_summary && lower.starts_with(|c: char| c.is_ascii_digit());
    total
        || tree_summary
        || lower.contains("file(s)")
        || lower.contains("dir(s)")
        || lower.starts_with("volume in drive")
        || lower.starts_with("volume serial number")
        || lower.starts_with("folder path listing")
        || lower.starts_with("total files listed")
        || (lower.len() == 3 && lower.ends_with(":."))
}

/// The name a long listing row ends with: an `ls -l` (or `find -ls`)
/// row, whose first (or third) word is a mode (`-rw-r--r--`,
/// `drwxr-xr-x.`); a PowerShell row without its header (`-a---`,
/// `d----`); or a cmd `dir` row, which starts with a date.
fn long_row_name(trimmed: &str, words: &[&str]) -> Option<String> {
    if words.len() < 2 {
        return None;
    }
    let unix = words.iter().take(3).any(|w| unix_mode(w));
    let powershell = words.first().is_some_and(|w| powershell_mode(w));
    let dated = words.first().is_some_and(|w| date(w));
    if !(unix || powershell || dated) {
        return None;
    }
    let row = trimmed.split(" -> ").next().unwrap_or(trimmed);
    let name = row.split_whitespace().last()?;
    (name != "<DIR>").then(|| name.to_owned())
}

/// `-rw-r--r--`, `drwxr-xr-x.`, `lrwxrwxrwx@`.
fn unix_mode(word: &str) -> bool {
    let word = word.trim_end_matches(['.', '+', '@']);
    let mut chars = word.chars();
    word.len() == 10
        && chars.next().is_some_and(|c| "-dlcbpsD".contains(c))
        && chars.all(|c| "-rwxsStTl".contains(c))
}

/// PowerShell's `-a---`, `d----`, `-a-h-`, `la---`, `d-r--`.
fn powershell_mode(word: &str) -> bool {
    (5..=6).contains(&word.len())
        && word.contains('-')
        && word.chars().all(|c| "-darhsl".contains(c))
}

/// A date as cmd's `dir` starts its rows (`11/14/2026`, `2026-11-14`, `14.11.2026`).
fn date(word: &str) -> bool {
    let parts: Vec<&str> = word.split(['/', '-', '.']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(path: &str, base: &str) -> String {
        let path = writ_detect::paths::PathStyle::Windows.local(path);
        writ_detect::paths::normalize(&path, base, "/home/u")
    }

    fn listed(output: &str, dirs: &[(&str, bool)]) -> Vec<String> {
        let listings: Vec<Listing> = dirs
            .iter()
            .map(|(dir, recursive)| Listing {
                dir: (*dir).to_owned(),
                recursive: *recursive,
                package: false,
            })
            .collect();
        entries(output, &listings, &resolve, false)
    }

    fn packaged(output: &str, dir: &str) -> Vec<String> {
        let listing = Listing {
            dir: dir.to_owned(),
            recursive: true,
            package: true,
        };
        package_entries(output, &listing, &resolve)
    }

    #[test]
    fn npm_and_cargo_package_listings() {
        let npm = "npm notice\nnpm notice \u{1f4e6}  @acme/sdk@2.14.0\nnpm notice Tarball Contents\nnpm notice 214B .env\nnpm notice 1.1kB README.md\nnpm notice 48.2kB dist/index.js\nnpm notice Tarball Details\nnpm notice name: @acme/sdk\nnpm notice total files: 3\nacme-sdk-2.14.0.tgz\n";
        assert_eq!(
            packaged(npm, "/w/packages/sdk"),
            [
                "/w/packages/sdk/.env",
                "/w/packages/sdk/README.md",
                "/w/packages/sdk/dist/index.js",
                // The archive's name, which a dry run prints last: a path
                // below the directory that holds nothing sensitive.
                "/w/packages/sdk/acme-sdk-2.14.0.tgz",
            ]
        );
        let cargo = ".cargo_vcs_info.json\nCargo.toml\nCargo.toml.orig\nsrc/main.rs\nwarning: manifest has no description\n";
        assert_eq!(
            packaged(cargo, "/w/tool"),
            [
                "/w/tool/.cargo_vcs_info.json",
                "/w/tool/Cargo.toml",
                "/w/tool/Cargo.toml.orig",
                "/w/tool/src/main.rs"
            ]
        );
    }

    #[test]
    fn ls_long_and_plain() {
        let long = "total 24\ndrwxr-xr-x 2 u u 4096 Nov 14 09:12 .\ndrwxr-xr-x 9 u u 4096 Nov 14 09:12 ..\n-rw------- 1 u u  412 Nov 14 09:12 .env\nlrwxrwxrwx 1 u u    9 Nov 14 09:12 cur -> releases/3\n";
        assert_eq!(
            listed(long, &[("/w/deploy", false)]),
            ["/w/deploy/.env", "/w/deploy/cur"]
        );
        let plain = ".env  docker-compose.yml\nnginx.conf\n";
        assert_eq!(
            listed(plain, &[("/w/deploy", false)]),
            [
                "/w/deploy/.env",
                "/w/deploy/docker-compose.yml",
                "/w/deploy/nginx.conf"
            ]
        );
        let recursive = "deploy:\n.env  sub\n\ndeploy/sub:\nkey.pem\n";
        assert_eq!(
            listed(recursive, &[("/w/deploy", true)]),
            ["/w/deploy/.env", "/w/deploy/sub", "/w/deploy/sub/key.pem"]
        );
        let error = "ls: cannot access 'nope': No such file or directory\n";
        assert!(listed(error, &[("/w/nope", false)]).is_empty());
    }

    #[test]
    fn find_and_tree() {
        let find = "deploy\ndeploy/.env\ndeploy/sub\ndeploy/sub/id_rsa\n";
        assert_eq!(
            listed(find, &[("/w/deploy", true)]),
            ["/w/deploy/.env", "/w/deploy/sub", "/w/deploy/sub/id_rsa"]
        );
        let dot = ".\n./deploy/.env\n";
        assert_eq!(listed(dot, &[("/w", true)]), ["/w/deploy/.env"]);
        let tree =
            "deploy\n├── .env\n├── sub\n│   └── key.pem\n└── x.yml\n\n1 directory, 3 files\n";
        assert_eq!(
            listed(tree, &[("/w/deploy", true)]),
            [
                "/w/deploy/.env",
                "/w/deploy/sub",
                "/w/deploy/sub/key.pem",
                "/w/deploy/x.yml"
            ]
        );
        let ascii = "deploy\n|-- .env\n`-- sub\n    `-- key.pem\n";
        assert_eq!(
            listed(ascii, &[("/w/deploy", true)]),
            ["/w/deploy/.env", "/w/deploy/sub", "/w/deploy/sub/key.pem"]
        );
    }

    #[test]
    fn powershell_and_cmd() {
        let table = "\nMode   LastWriteTime        Length Name\n----   -------------        ------ ----\n-a-h-  11/14/2026 09:12:40     412 .env\n-a---  11/17/2026 11:47:05    3920 Deploy Stack.ps1\n";
        assert_eq!(
            listed(table, &[("/w/deploy", false)]),
            ["/w/deploy/.env", "/w/deploy/Deploy Stack.ps1"]
        );
        let sections = "\n    Directory: C:\\w\\deploy\\sub\n\nMode                 LastWriteTime         Length Name\n----                 -------------         ------ ----\n-a---          11/14/2026  9:12 AM            412 key.pfx\n";
        assert_eq!(
            listed(sections, &[("/c/w/deploy", true)]),
            ["/c/w/deploy/sub/key.pfx"]
        );
        let list = "Name     : .env\nFullName : C:\\w\\deploy\\x.pfx\n";
        assert_eq!(
            listed(list, &[("/c/w/deploy", false)]),
            ["/c/w/deploy/.env", "/c/w/deploy/x.pfx"]
        );
        let dir = " Volume in drive C is OS\n Directory of C:\\w\\deploy\n\n11/14/2026  09:12 AM    <DIR>          .\n11/14/2026  09:12 AM               412 .env\n               1 File(s)            412 bytes\n";
        assert_eq!(listed(dir, &[("/c/w/deploy", false)]), ["/c/w/deploy/.env"]);
        let bare = "C:\\w\\deploy\\.env\nC:\\w\\deploy\\sub\\a.pfx\n";
        assert_eq!(
            listed(bare, &[("/c/w/deploy", true)]),
            ["/c/w/deploy/.env", "/c/w/deploy/sub/a.pfx"]
        );
    }

    #[test]
    fn only_entries_below_the_listed_directories() {
        assert!(listed("/etc/passwd\n", &[("/w/deploy", true)]).is_empty());
        assert!(listed("", &[]).is_empty());
        let many: String = (0..2000).map(|i| format!("f{i}\n")).collect();
        assert_eq!(listed(&many, &[("/w", false)]).len(), STEP_ENTRIES);
    }
}
