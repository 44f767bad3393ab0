//! Items got once and used by their properties: `$file = Get-Item
//! ./exports/q3.csv` then `[IO.File]::ReadAllBytes($file.FullName)` or
//! `-Path $file.FullName`. The walk keeps `$file` as a command's output it
//! cannot know; the statement pass ([`super::statements`]) writes each
//! `$file.FullName` (and `.Name`, `.BaseName`, `.Extension`,
//! `.DirectoryName`) out as the quoted path text it is, with the last such
//! assignment before the use. Only `Get-Item` (`gi`) of one literal path
//! is followed: a wildcard or a list gets several items.

use super::statements::{assignment, statements};

/// `code` with the property uses of its item variables written out, or
/// `None` when it has none.
pub(super) fn rewrite(code: &str) -> Option<String> {
    let lower = code.to_ascii_lowercase();
    if !code.contains('$') || !(lower.contains("get-item") || lower.contains("gi ")) {
        return None;
    }
    // (end of the assignment, lower-case name, the item's path or None
    // when the variable got something else).
    let mut assigned: Vec<(usize, String, Option<String>)> = Vec::new();
    for (start, end) in statements(code) {
        let text = code.get(start..end).unwrap_or_default();
        if let Some((target, value)) = assignment(text)
            && let Some(name) = target.strip_prefix('$').filter(|n| {
                !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        {
            assigned.push((end, name.to_ascii_lowercase(), item_path(value)));
        }
    }
    if !assigned.iter().any(|(_, _, path)| path.is_some()) {
        return None;
    }
    let mut out = String::with_capacity(code.len());
    let mut changed = false;
    let mut rest = code;
    let mut offset = 0usize;
    while let Some(at) = rest.find('$') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at + 1..).unwrap_or_default();
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = after
            .get(..name_len)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let property = after
            .get(name_len..)
            .and_then(|p| p.strip_prefix('.'))
            .map(|p| {
                let len = p
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .unwrap_or(p.len());
                p.get(..len).unwrap_or_default()
            });
        let path = assigned
            .iter()
            .rev()
            .find(|(done, variable, _)| *done <= offset + at && *variable == name)
            .and_then(|(_, _, path)| path.as_deref());
        match (
            path,
            property.and_then(|p| property_text(path?, p).map(|t| (p, t))),
        ) {
            (Some(_), Some((property, text))) => {
                out.push('\'');
                out.push_str(&text.replace('\'', "''"));
                out.push('\'');
                changed = true;
                let used = 1 + name_len + 1 + property.len();
                offset += at + used;
                rest = rest.get(at + used..).unwrap_or_default();
            }
            _ => {
                out.push('$');
                offset += at + 1;
                rest = after;
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The path of `Get-Item PATH` (`gi`, `-Path`/`-LiteralPath` named or
/// not), when it is one literal path.
fn item_path(value: &str) -> Option<String> {
    let mut words = value.split_whitespace();
    let command = words.next()?;
    if !command.eq_ignore_ascii_case("get-item") && !command.eq_ignore_ascii_case("gi") {
        return None;
    }
    let mut path = None;
    for word in words {
        let lower = word.to_ascii_lowercase();
        if lower == "-path" || lower == "-literalpath" || lower == "-force" {
            continue;
        }
        if word.starts_with('-') || path.is_some() {
            return None;
        }
        path = Some(word);
    }
    let path = path?.trim_matches(['\'', '"']);
    let literal = !path.is_empty()
        && !path.contains(['$', '*', '?', '[', ',', '(', '`'])
        && !path.contains(" ");
    literal.then(|| path.to_owned())
}

/// The text of an item's property, from its path as written.
fn property_text(path: &str, property: &str) -> Option<String> {
    let trimmed = path.trim_end_matches(['/', '\\']);
    let split = trimmed.rfind(['/', '\\']);
    let name = split.map_or(trimmed, |at| trimmed.get(at + 1..).unwrap_or_default());
    let directory = split.map_or(".", |at| trimmed.get(..at).unwrap_or_default());
    let (base, extension) = match name.rfind('.') {
        Some(dot) if dot > 0 => (
            name.get(..dot).unwrap_or_default(),
            name.get(dot..).unwrap_or_default(),
        ),
        _ => (name, ""),
    };
    Some(
        match property.to_ascii_lowercase().as_str() {
            "fullname" | "pspath" => path,
            "name" => name,
            "basename" => base,
            "extension" => extension,
            "directoryname" => directory,
            _ => return None,
        }
        .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn properties_of_an_item_are_its_path_text() {
        assert_eq!(
            rewrite("$file = Get-Item ./exports/q3.csv\n$b = [IO.File]::ReadAllBytes($file.FullName)\n$n = $file.Name").as_deref(),
            Some("$file = Get-Item ./exports/q3.csv\n$b = [IO.File]::ReadAllBytes('./exports/q3.csv')\n$n = 'q3.csv'")
        );
        assert_eq!(
            rewrite("$f = gi -LiteralPath 'C:\\data\\x.tar.gz'; $f.BaseName; $f.Extension; $f.DirectoryName").as_deref(),
            Some("$f = gi -LiteralPath 'C:\\data\\x.tar.gz'; 'x.tar'; '.gz'; 'C:\\data'")
        );
    }

    #[test]
    fn other_values_and_properties_are_left_alone() {
        for code in [
            "$f = Get-Item ./*.csv\n$f.FullName",
            "$f = Get-Item $p\n$f.FullName",
            "$f = Get-Content ./x\n$f.Length",
            "$f = Get-Item ./x\n$f.Length",
            "$f.FullName\n$f = Get-Item ./x",
        ] {
            assert_eq!(rewrite(code), None, "{code}");
        }
    }
}
