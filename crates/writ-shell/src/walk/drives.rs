//! Windows drives mapped on the line. `net use Z: \\host\share`,
//! `New-PSDrive -Name X -Root \\host\share` and `subst S: C:\dir` give a
//! name to a root; a later `Z:\dir\f` on the same line is a path under
//! that root (a copy to `Z:\` is an upload to the share's host).

use crate::args::Arg;
use crate::paths;

/// The drive a command maps and its root, as written (`\\host\share` or
/// a local path): `net use NAME: ROOT`, `subst NAME: ROOT`, `New-PSDrive`
/// (alias `ndr`) with `-Name`/`-Root` or its positional `NAME PROVIDER
/// ROOT`.
pub(crate) fn mapping(program: &str, args: &[Arg]) -> Option<(String, String)> {
    let program = program.to_ascii_lowercase();
    let program = program.strip_suffix(".exe").unwrap_or(&program);
    match program {
        "net" => {
            let (verb, rest) = args.split_first()?;
            if !verb.text.eq_ignore_ascii_case("use") {
                return None;
            }
            let drive = rest.iter().find_map(|a| device_name(&a.text))?;
            let root = rest.iter().find(|a| paths::file_share(&a.text).is_some())?;
            Some((drive, root.text.clone()))
        }
        "subst" => match args {
            [drive, root] => Some((device_name(&drive.text)?, root.text.clone())),
            _ => None,
        },
        "new-psdrive" | "ndr" => new_psdrive(args),
        _ => None,
    }
}

/// `NAME:` as a device operand (`Z:`), not a path on it.
fn device_name(text: &str) -> Option<String> {
    let name = text.strip_suffix(':')?;
    is_drive_name(name).then(|| name.to_owned())
}

/// A PowerShell drive's name: letters and digits (`Z`, `Vendor`).
fn is_drive_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `New-PSDrive [-Name] N [-PSProvider] P [-Root] R ...`, parameters by
/// any unambiguous prefix; switches (`-Persist`) take no value.
fn new_psdrive(args: &[Arg]) -> Option<(String, String)> {
    const SWITCHES: [&str; 3] = ["persist", "whatif", "confirm"];
    let mut name = None;
    let mut root = None;
    let mut positional = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let Some(parameter) = word.text.strip_prefix('-') else {
            positional.push(word.text.clone());
            continue;
        };
        let parameter = parameter.to_ascii_lowercase();
        if parameter.is_empty() || SWITCHES.iter().any(|s| s.starts_with(&parameter)) {
            continue;
        }
        let value = words.next().map(|w| w.text.clone());
        if "name".starts_with(&parameter) {
            name = value;
        } else if parameter.len() >= 2 && "root".starts_with(&parameter) {
            root = value;
        }
    }
    let mut positional = positional.into_iter();
    let name = name.or_else(|| positional.next())?;
    let root = root.or_else(|| positional.nth(1))?;
    let name = name.trim_end_matches(':');
    is_drive_name(name).then(|| (name.to_owned(), root))
}

/// `text` as a path under its mapped drive's root (`Z:\in\f` with `Z`
/// mapped to `\\nas\drop` is `\\nas\drop\in\f`), or `None` when it names
/// no mapped drive.
pub(super) fn on_mapped_drive(text: &str, drives: &[(String, String)]) -> Option<String> {
    let (name, rest) = text.split_once(':')?;
    if !rest.is_empty() && !rest.starts_with(['\\', '/']) {
        return None;
    }
    let (_, root) = drives
        .iter()
        .rev()
        .find(|(drive, _)| drive.eq_ignore_ascii_case(name))?;
    let separator = if root.contains('/') && !root.contains('\\') {
        '/'
    } else {
        '\\'
    };
    let root = root.trim_end_matches(['\\', '/']);
    let rest = rest.trim_start_matches(['\\', '/']);
    Some(format!("{root}{separator}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Arg> {
        line.split_whitespace()
            .map(|w| Arg::default().with_text(w))
            .collect()
    }

    #[test]
    fn reads_each_mapping_form() {
        let share = || "\\\\nas.corp\\drop".to_owned();
        assert_eq!(
            mapping("net", &words("use Z: \\\\nas.corp\\drop pw /user:ops")),
            Some(("Z".to_owned(), share()))
        );
        assert_eq!(
            mapping("NET.EXE", &words("USE \\\\nas.corp\\drop")),
            None,
            "no device named, nothing mapped"
        );
        assert_eq!(
            mapping(
                "New-PSDrive",
                &words("-Name V -PSProvider FileSystem -Root \\\\nas.corp\\drop -Persist")
            ),
            Some(("V".to_owned(), share()))
        );
        assert_eq!(
            mapping("ndr", &words("Vendor FileSystem \\\\nas.corp\\drop")),
            Some(("Vendor".to_owned(), share()))
        );
        assert_eq!(
            mapping(
                "new-psdrive",
                &words("-n W -ro \\\\nas.corp\\drop -PSP FileSystem")
            ),
            Some(("W".to_owned(), share()))
        );
        assert_eq!(
            mapping("subst", &words("S: C:\\build\\out")),
            Some(("S".to_owned(), "C:\\build\\out".to_owned()))
        );
        assert_eq!(mapping("net", &words("use")), None);
    }

    #[test]
    fn rewrites_paths_on_mapped_drives_only() {
        let drives = vec![("X".to_owned(), "\\\\nas.corp\\drop\\".to_owned())];
        assert_eq!(
            on_mapped_drive("x:\\in\\f.log", &drives).as_deref(),
            Some("\\\\nas.corp\\drop\\in\\f.log")
        );
        assert_eq!(
            on_mapped_drive("X:", &drives).as_deref(),
            Some("\\\\nas.corp\\drop\\")
        );
        assert_eq!(on_mapped_drive("C:\\x", &drives), None);
        assert_eq!(on_mapped_drive("X:y", &drives), None, "drive-relative");
        assert_eq!(on_mapped_drive("https://x", &drives), None);
    }
}
