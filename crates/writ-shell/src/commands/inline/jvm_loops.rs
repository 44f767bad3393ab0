//! Loops of the JVM's, .NET's and Swift's languages over a list the code
//! writes out, or over the files of a directory it lists, unrolled: Java's
//! `for (String f : INCLUDE) {...}` with `static final List<String>
//! INCLUDE = List.of("a", ".env")`, C#'s `foreach (var f in new[] {"a"})
//! {...}`, Kotlin's `for (f in listOf(...)) {...}` and `xs.forEach { f ->
//! ... }` (or `it`), Scala's `for (f <- xs) {...}` and `xs.foreach { f =>
//! ... }`, Groovy's `xs.each { f -> ... }`, Swift's `for f in [...] {...}`.
//!
//! The body is written out once per item, each copy with the loop variable
//! written in as that item: a string literal in code, its text inside an
//! interpolation (`"${f}"`, `s"$f"`, `"\(f)"`), so the calls in it name the
//! files they are given (`Files.copy(Path.of(".env"), out)`), as
//! [`super::perl_loops`] does for Perl. A list held in a name is the list
//! last assigned to it before the loop.
//!
//! A directory's listing (`Files.list(Path.of("d"))`, `Files.walk(...)`,
//! `File("d").listFiles()`, `Directory.GetFiles("d", "*.csv")`,
//! `FileManager.default.contentsOfDirectory(atPath: "d")`), kept to a
//! suffix by a filter (`.filter(_.toString.endsWith(".csv"))`), is one
//! item: the glob pattern of the files it goes through (`d/*.csv`); the
//! variable's file name (`f.getFileName`, `f.name`) is the pattern's last
//! part. A loop over anything else is left as written.

use super::{Literal, literals, storage};
use storage::{in_literal, token_ends, token_starts};

/// The longest code unrolled, in bytes: a bigger result is not made.
const MAX_UNROLLED: usize = 64 * 1024;
/// How many times nested loops are unrolled, outermost first.
const MAX_PASSES: usize = 3;
/// How many items a list unrolled may have.
const MAX_ITEMS: usize = 32;

/// Programs whose code is read here.
const PROGRAMS: &[&str] = &[
    "jshell",
    "java",
    "kotlin",
    "kotlinc",
    "kotlinc-jvm",
    "groovy",
    "scala",
    "scala-cli",
    "scala3",
    "dotnet",
    "csi",
    "swift",
];

/// Calls that build a list of their arguments.
const LIST_CALLS: &[&str] = &[
    "List.of",
    "Set.of",
    "Arrays.asList",
    "listOf",
    "mutableListOf",
    "arrayOf",
    "setOf",
    "Seq",
    "List",
    "Array",
    "Vector",
];

/// Constructors of lists whose items are in braces (C#'s and Java's).
const BRACED_LISTS: &[&str] = &["new String[]", "new string[]", "new[]", "new List<string>"];

/// Calls that list a directory's files (the directory is their first
/// argument, a pattern their second), and whether they go down the tree.
const LISTINGS: &[(&str, bool)] = &[
    ("Files.list(", false),
    ("Files.walk(", true),
    ("Files.newDirectoryStream(", false),
    ("Directory.GetFiles(", false),
    ("Directory.EnumerateFiles(", false),
    ("contentsOfDirectory(atPath:", false),
    ("listFiles(", false),
];

/// Suffix filters on a listing (`.filter(_.toString.endsWith(".csv"))`).
const SUFFIX_FILTERS: &[&str] = &["endsWith(", "EndsWith(", "hasSuffix("];

/// What a loop variable's members give: the item itself, or its last part.
const MEMBERS: &[(&str, bool)] = &[
    (".toString()", false),
    (".toString", false),
    (".toAbsolutePath()", false),
    (".toFile()", false),
    (".absolutePath", false),
    (".path", false),
    (".FullName", false),
    (".getFileName()", true),
    (".getFileName", true),
    (".fileName", true),
    (".getName()", true),
    (".name", true),
    (".Name", true),
    (".lastPathComponent", true),
];

/// `code` with its loops over written-out lists and listed directories
/// unrolled, or `None` when it has none (or is not one of these
/// languages).
pub(super) fn unrolled(code: &str, program: &str) -> Option<String> {
    let name = program.rsplit('/').next().unwrap_or(program);
    if !PROGRAMS.contains(&name) {
        return None;
    }
    let mut out: Option<String> = None;
    for _ in 0..MAX_PASSES {
        let current = out.as_deref().unwrap_or(code);
        match unroll_once(current) {
            Some(next) if next.len() <= MAX_UNROLLED => out = Some(next),
            _ => break,
        }
    }
    out
}

/// One loop found: the code it spans, its variable, its items and its body
/// (without braces).
struct Loop {
    start: usize,
    end: usize,
    variable: String,
    items: Vec<Item>,
    body: std::ops::Range<usize>,
}

/// One value a loop goes through: a written-out item, or a listing's
/// glob pattern (whose last part is every file's name).
#[derive(Clone)]
struct Item {
    text: String,
}

fn unroll_once(code: &str) -> Option<String> {
    let literals = literals(code);
    let mut replacements = Vec::new();
    let mut from = 0;
    while let Some(found) = next_loop(code, &literals, from) {
        from = found.end;
        let body = code.get(found.body.clone())?;
        let copies: Vec<String> = found
            .items
            .iter()
            .map(|item| format!("{{{}}}", substituted(body, &found.variable, item)))
            .collect();
        replacements.push((found.start, found.end, copies.join("\n")));
    }
    storage::replaced(code, replacements)
}

fn skip_space(code: &str, pos: usize) -> usize {
    let rest = code.get(pos..).unwrap_or_default();
    pos + (rest.len() - rest.trim_start().len())
}

/// The first loop over known items that starts at or after `from`.
fn next_loop(code: &str, literals: &[Literal], from: usize) -> Option<Loop> {
    let mut at = from;
    while at < code.len() {
        if let Some((_, literal)) = storage::literal_at(literals, at) {
            at = literal.end;
            continue;
        }
        let rest = code.get(at..)?;
        let found =
            if (rest.starts_with("for") || rest.starts_with("foreach")) && token_starts(code, at) {
                keyword_loop(code, literals, at)
            } else if [".forEach", ".foreach", ".each"]
                .iter()
                .any(|m| rest.starts_with(m))
            {
                method_loop(code, literals, at)
            } else {
                None
            };
        if found.is_some() {
            return found;
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// `for (T x : XS) {...}`, `foreach (var x in XS) {...}`, `for (x in XS)
/// {...}`, `for (x <- XS) {...}` or Swift's `for x in XS {...}`, at `at`.
fn keyword_loop(code: &str, literals: &[Literal], at: usize) -> Option<Loop> {
    let keyword = if code.get(at..)?.starts_with("foreach") {
        "foreach"
    } else {
        "for"
    };
    let after = at + keyword.len();
    if !token_ends(code, after) {
        return None;
    }
    let open = skip_space(code, after);
    let (header, brace) = if code.as_bytes().get(open) == Some(&b'(') {
        let close = storage::matching(code, literals, open)?;
        (open + 1..close, skip_space(code, close + 1))
    } else {
        // Swift's `for x in XS {`: the header runs to the block's brace.
        let mut pos = open;
        loop {
            match code.as_bytes().get(pos)? {
                b'{' => break,
                b'\n' | b';' => return None,
                b'(' | b'[' => pos = storage::matching(code, literals, pos)? + 1,
                _ => pos += 1,
            }
        }
        (open..pos, pos)
    };
    if code.as_bytes().get(brace) != Some(&b'{') {
        return None;
    }
    let end = storage::matching(code, literals, brace)?;
    let text = code.get(header.clone())?;
    let (variable, source) = [" in ", " <- "]
        .iter()
        .find_map(|sep| text.split_once(sep))
        .or_else(|| {
            // Java's `T x : XS` (a `::` is a method reference).
            let (variable, source) = text.split_once(':')?;
            (!source.starts_with(':')).then_some((variable, source.trim_start()))
        })?;
    let variable = variable.split_whitespace().next_back()?;
    let source_at = header.start + text.find(source)?;
    let items = items(code, literals, source_at, source_at + source.len(), at)?;
    valid_name(variable)?;
    Some(Loop {
        start: at,
        end: end + 1,
        variable: variable.to_owned(),
        items,
        body: brace + 1..end,
    })
}

/// `XS.forEach { x -> ... }` (or `it`), `XS.foreach { x => ... }`, `XS.each
/// { x -> ... }`, with the method's `.` at `dot`.
fn method_loop(code: &str, literals: &[Literal], dot: usize) -> Option<Loop> {
    let method_end = dot + 1 + code.get(dot + 1..)?.find(|c: char| !storage::is_ident(c))?;
    let brace = skip_space(code, method_end);
    if code.as_bytes().get(brace) != Some(&b'{') {
        return None;
    }
    let end = storage::matching(code, literals, brace)?;
    let start = receiver_start(code, literals, dot)?;
    let items = items(code, literals, start, dot, start)?;
    let inner = code.get(brace + 1..end)?;
    let (variable, body_start) = match [" ->", " =>"]
        .iter()
        .find_map(|arrow| inner.find(arrow).map(|at| (at, arrow.len())))
    {
        Some((at, len)) if valid_name(inner.get(..at)?.trim()).is_some() => {
            (inner.get(..at)?.trim().to_owned(), brace + 1 + at + len)
        }
        _ => ("it".to_owned(), brace + 1),
    };
    Some(Loop {
        start,
        end: end + 1,
        variable,
        items,
        body: body_start..end,
    })
}

fn valid_name(name: &str) -> Option<()> {
    (!name.is_empty() && name.chars().all(storage::is_ident)).then_some(())
}

/// Where the receiver of the method whose `.` is at `dot` starts: a name,
/// or a list built by a call (`listOf(...)`).
fn receiver_start(code: &str, literals: &[Literal], dot: usize) -> Option<usize> {
    let head = code.get(..dot)?;
    let mut at = dot;
    if head.ends_with(')') {
        let mut depth = 0usize;
        let mut pos = dot;
        while pos > 0 {
            pos -= 1;
            if let Some(literal) = literals.iter().find(|l| l.start < pos && pos < l.end) {
                pos = literal.start;
                continue;
            }
            match code.as_bytes().get(pos)? {
                b')' => depth += 1,
                b'(' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        at = pos;
    }
    let name_start = code
        .get(..at)?
        .char_indices()
        .rev()
        .take_while(|(_, c)| storage::is_ident(*c) || *c == '.')
        .last()
        .map_or(at, |(i, _)| i);
    (name_start < dot).then_some(name_start)
}

/// The items of the list or listing written at `start..end`, or held in
/// the name written there (its last assignment before `before`).
fn items(
    code: &str,
    literals: &[Literal],
    start: usize,
    end: usize,
    before: usize,
) -> Option<Vec<Item>> {
    let text = code.get(start..end)?.trim();
    let lead = start + (code.get(start..end)?.len() - code.get(start..end)?.trim_start().len());
    if valid_name(text).is_some() {
        let (value_start, value_end) = assigned(code, literals, text, before)?;
        return items(code, literals, value_start, value_end, value_start);
    }
    if let Some(item) = listing(code, literals, lead, lead + text.len()) {
        return Some(vec![item]);
    }
    list(code, literals, lead, lead + text.len())
}

/// The value last assigned to `name` before `before`: where it starts and
/// ends (its statement's end, with the lines that go on with a `.`).
fn assigned(code: &str, literals: &[Literal], name: &str, before: usize) -> Option<(usize, usize)> {
    let head = code.get(..before)?;
    let mut found = None;
    for (at, _) in head.match_indices(name) {
        if in_literal(literals, at) || !token_starts(code, at) || !token_ends(code, at + name.len())
        {
            continue;
        }
        // `NAME =` or `NAME: Type =` (a declaration's type before the `=`).
        let rest = code.get(at + name.len()..)?;
        let line = rest.split('\n').next().unwrap_or_default();
        let Some(eq) = line.find('=') else {
            continue;
        };
        let between = line.get(..eq)?.trim();
        let next = line.get(eq + 1..)?.chars().next();
        if matches!(next, Some('=' | '>')) || !(between.is_empty() || between.starts_with(':')) {
            continue;
        }
        let value = skip_space(code, at + name.len() + eq + 1);
        found = Some((value, statement_end(code, literals, value)));
    }
    found
}

/// Where the statement whose value starts at `start` ends: its `;` (or
/// the bracket that closes around it), or its line's end when the next
/// line does not go on with a `.` (JVM languages' and Swift's).
pub(super) fn statement_end(code: &str, literals: &[Literal], start: usize) -> usize {
    storage::statement_end_where(code, literals, start, |line_end| {
        code.get(line_end + 1..)
            .unwrap_or_default()
            .trim_start()
            .starts_with('.')
    })
    .unwrap_or(code.len())
}

/// The string literals of a written-out list at `start..end`
/// (`List.of("a", "b")`, `new[] {"a"}`, `["a", "b"]`).
fn list(code: &str, literals: &[Literal], start: usize, end: usize) -> Option<Vec<Item>> {
    let text = code.get(start..end)?;
    let open = if text.starts_with('[') {
        start
    } else {
        let name_len = LIST_CALLS
            .iter()
            .chain(BRACED_LISTS)
            .filter(|call| text.starts_with(**call))
            .map(|call| call.len())
            .max()?;
        skip_space(code, start + name_len)
    };
    if !matches!(code.as_bytes().get(open)?, b'(' | b'[' | b'{') {
        return None;
    }
    let close = storage::matching(code, literals, open)?;
    // The list is the whole value (a conversion after it keeps its items).
    let after = code.get(close + 1..end)?.trim();
    if !(after.is_empty() || after.starts_with(".to") || after.starts_with(".As")) {
        return None;
    }
    let parts = storage::top_level_split(code, literals, open + 1..close)?;
    let mut items = Vec::new();
    for (at, part) in parts.iter().take(MAX_ITEMS + 1) {
        let lead = at + (part.len() - part.trim_start().len());
        let (_, literal) = storage::literal_at(literals, lead)?;
        if literal.end != lead + part.trim().len() || literal.backtick {
            return None;
        }
        items.push(Item {
            text: literal.text.clone(),
        });
    }
    (!items.is_empty() && items.len() <= MAX_ITEMS).then_some(items)
}

/// The glob pattern of the files a directory listing at `start..end`
/// goes through.
fn listing(code: &str, literals: &[Literal], start: usize, end: usize) -> Option<Item> {
    let text = code.get(start..end)?;
    let (call, tree) = LISTINGS.iter().find(|(call, _)| text.contains(call))?;
    let at = start + text.find(call)? + call.len();
    let dir = if *call == "listFiles(" {
        // `File("d").listFiles()`: the directory is the receiver's.
        let head = code.get(start..at - call.len())?;
        let open = start + head.rfind('(')?;
        literals.iter().find(|l| l.start > open && l.end < at)?
    } else {
        literals.iter().find(|l| l.start >= at && l.end <= end)?
    };
    let mut pattern = if *tree { "**/*" } else { "*" }.to_owned();
    // `Directory.GetFiles("d", "*.csv")`: the pattern given.
    if let Some(given) = literals
        .iter()
        .find(|l| l.start > dir.end && l.end <= end && l.text.contains('*'))
        .filter(|_| call.starts_with("Directory."))
    {
        pattern = given.text.clone();
    } else if let Some(suffix) = SUFFIX_FILTERS.iter().find_map(|filter| {
        let at = start + text.find(filter)? + filter.len();
        literals
            .iter()
            .find(|l| l.start == at)
            .map(|l| l.text.clone())
    }) {
        pattern.push_str(&suffix);
    }
    let dir = dir.text.trim_end_matches('/');
    Some(Item {
        text: format!("{dir}/{pattern}"),
    })
}

/// `body` with `variable` written in as `item`: outside literals as a
/// string literal (with a member that gives its text or its file name),
/// inside an interpolation as its text.
fn substituted(body: &str, variable: &str, item: &Item) -> String {
    let literals = literals(body);
    let mut replacements = Vec::new();
    for (at, _) in body.match_indices(variable) {
        let end = at + variable.len();
        if !token_starts(body, at) || !token_ends(body, end) {
            continue;
        }
        let inside = in_literal(&literals, at);
        let (member_end, last) = member(body, end);
        let value = if last {
            item.text
                .rsplit('/')
                .next()
                .unwrap_or(&item.text)
                .to_owned()
        } else {
            item.text.clone()
        };
        let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
        if inside {
            if let Some((start, stop)) = interpolation(body, at, member_end) {
                replacements.push((start, stop, escaped));
            }
        } else {
            // Not a declaration of another name (`f: String`, `f =`).
            let next = body.get(member_end..).unwrap_or_default().trim_start();
            if (next.starts_with('=') && !next.starts_with("==")) || next.starts_with(':') {
                continue;
            }
            replacements.push((at, member_end, format!("\"{escaped}\"")));
        }
    }
    storage::replaced(body, replacements).unwrap_or_else(|| body.to_owned())
}

/// Where the member read after a name that ends at `end` ends, and whether
/// it gives the file's name.
fn member(code: &str, end: usize) -> (usize, bool) {
    let rest = code.get(end..).unwrap_or_default();
    MEMBERS
        .iter()
        .find(|(m, _)| rest.starts_with(m) && token_ends(code, end + m.len()))
        .map_or((end, false), |(m, last)| (end + m.len(), *last))
}

/// The interpolation around the name at `at..end` inside a literal:
/// `${NAME...}`, `$NAME`, Swift's `\(NAME...)`, C#'s `{NAME...}`.
fn interpolation(code: &str, at: usize, end: usize) -> Option<(usize, usize)> {
    let head = code.get(..at)?;
    let tail = code.get(end..)?;
    if let Some(start) = head.strip_suffix("${").map(str::len) {
        return tail.starts_with('}').then_some((start, end + 1));
    }
    if let Some(start) = head.strip_suffix("\\(").map(str::len) {
        return tail.starts_with(')').then_some((start, end + 1));
    }
    if let Some(start) = head.strip_suffix('$').map(str::len) {
        return Some((start, end));
    }
    if let Some(start) = head.strip_suffix('{').map(str::len) {
        return tail.starts_with('}').then_some((start, end + 1));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn java(code: &str) -> String {
        unrolled(code, "jshell").unwrap_or_else(|| code.to_owned())
    }

    #[test]
    fn a_list_held_in_a_name_is_unrolled() {
        let code = "static final List<String> INCLUDE = List.of(\"a.log\", \".env\");\nfor (String f : INCLUDE) { Files.copy(Path.of(f), out); }";
        let out = java(code);
        assert!(
            out.contains("{ Files.copy(Path.of(\"a.log\"), out); }"),
            "{out}"
        );
        assert!(
            out.contains("{ Files.copy(Path.of(\".env\"), out); }"),
            "{out}"
        );
    }

    #[test]
    fn lambdas_and_interpolations_take_the_item() {
        let code = "listOf(\"x\", \"y\").forEach { n -> println(\"got ${n}\") }";
        let out = unrolled(code, "kotlinc").unwrap_or_default();
        assert!(out.contains("println(\"got x\")") && out.contains("println(\"got y\")"));
    }

    #[test]
    fn a_listing_is_its_glob_pattern() {
        let code = "val files = Files.list(Path.of(\"data\")).iterator.asScala\n  .filter(_.toString.endsWith(\".csv\"))\nfiles.foreach { f =>\n  Seq(\"cp\", f.toString, s\"/x/${f.getFileName}\").!\n}";
        let out = unrolled(code, "scala-cli").unwrap_or_default();
        assert!(
            out.contains("Seq(\"cp\", \"data/*.csv\", s\"/x/*.csv\").!"),
            "{out}"
        );
    }

    #[test]
    fn java_loops_without_spaces_around_the_colon() {
        let out = java("for (var f: List.of(\"a\")) { read(Path.of(f)); }");
        assert_eq!(out, "{ read(Path.of(\"a\")); }");
    }

    #[test]
    fn other_loops_stay() {
        for code in [
            "for (int i = 0; i < n; i++) { f(i); }",
            "for (String f : files()) { g(f); }",
            "for (x in listOf(a, \"b\")) { g(x) }",
        ] {
            assert_eq!(java(code), code);
        }
    }
}
