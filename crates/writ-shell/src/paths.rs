//! Lexical path handling: joining to a working directory, `~` expansion and
//! `.`/`..` normalisation. No IO.

/// Resolves `path` as written against `cwd`, expanding a leading `~`.
pub(crate) fn resolve(cwd: &str, home: &str, path: &str) -> String {
    if path.is_empty() {
        return normalize(cwd);
    }
    // `~` and `$HOME` mean home wherever they stand, quoted or not: a
    // quoted `'$HOME/.ssh/id_rsa'` still names that file.
    for marker in ["~", "$HOME", "${HOME}"] {
        if path == marker {
            return normalize(home);
        }
        if let Some(rest) = path.strip_prefix(marker).and_then(|r| r.strip_prefix('/')) {
            return normalize(&format!("{home}/{rest}"));
        }
    }
    if let Some(inside) = wsl_share_path(path) {
        return normalize(&inside);
    }
    let windows = is_drive_form(cwd);
    if windows && let Some(absolute) = windows_folder(home, path) {
        return normalize(&absolute);
    }
    // Windows' long-path prefix: `\\?\C:\x` is `C:\x`.
    let path = path
        .strip_prefix("\\\\?\\")
        .or_else(|| path.strip_prefix("//?/"))
        .filter(|rest| drive_path(rest).is_some())
        .unwrap_or(path);
    if path.starts_with('/') {
        if windows && let Some(drive) = wsl_drive_path(path) {
            return normalize(&drive);
        }
        return normalize(path);
    }
    if let Some(absolute) = drive_path(path) {
        return normalize(&absolute);
    }
    // On a Windows machine (its directories are drive paths) `\` separates
    // a relative path's parts (`.\data\x.csv`).
    if path.contains('\\') && windows {
        return normalize(&format!("{cwd}/{}", path.replace('\\', "/")));
    }
    normalize(&format!("{cwd}/{path}"))
}

/// Whether an absolute path is a Windows drive's in Git Bash's form
/// (`/c` or `/c/Users/x`).
pub(crate) fn is_drive_form(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.first() == Some(&b'/')
        && bytes.get(1).is_some_and(u8::is_ascii_alphabetic)
        && matches!(bytes.get(2), None | Some(b'/'))
}

/// A Windows drive as WSL mounts it (`/mnt/c/Users/x`, `/mnt/d`) in Git
/// Bash's form (`/c/Users/x`): a Linux command run on a Windows machine
/// (`wsl -e git -C /mnt/d/src/app push`) reaches the drives there.
fn wsl_drive_path(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/mnt/")?;
    let letter = rest.chars().next().filter(char::is_ascii_alphabetic)?;
    let below = rest.get(1..)?;
    if !below.is_empty() && !below.starts_with('/') {
        return None;
    }
    Some(format!("/{}{below}", letter.to_ascii_lowercase()))
}

/// The folders of a Windows user's profile, by the environment variable
/// that names each (any case), and where each lies in the home directory.
const PROFILE_FOLDERS: &[(&str, &str)] = &[
    ("USERPROFILE", ""),
    ("APPDATA", "AppData/Roaming"),
    ("LOCALAPPDATA", "AppData/Local"),
];

/// A path that starts with a variable naming one of the user's profile
/// folders on a Windows machine, as an absolute path below `home`:
/// `%APPDATA%\x` (cmd), `$APPDATA/x` (Git Bash exports Windows'
/// variables), `${LOCALAPPDATA}/x`, `$env:USERPROFILE\x` (PowerShell),
/// and `%HOMEDRIVE%%HOMEPATH%\x`, which together name the home directory.
fn windows_folder(home: &str, path: &str) -> Option<String> {
    let (name, rest) = leading_variable(path)?;
    if name.eq_ignore_ascii_case("HOMEDRIVE") {
        let (next, rest) = leading_variable(rest)?;
        if !next.eq_ignore_ascii_case("HOMEPATH") {
            return None;
        }
        return below_folder(home, "", rest);
    }
    let (_, folder) = PROFILE_FOLDERS
        .iter()
        .find(|(variable, _)| variable.eq_ignore_ascii_case(name))?;
    below_folder(home, folder, rest)
}

/// `home`'s `folder` and what `rest` (`\x\y`, `/x`, nothing) names below
/// it; `None` when `rest` goes on the variable's name (`$APPDATAX`).
fn below_folder(home: &str, folder: &str, rest: &str) -> Option<String> {
    if !rest.is_empty() && !rest.starts_with(['/', '\\']) {
        return None;
    }
    let home = home.trim_end_matches('/');
    let base = if folder.is_empty() {
        home.to_owned()
    } else {
        format!("{home}/{folder}")
    };
    Some(format!("{base}{}", rest.replace('\\', "/")))
}

/// The variable a path starts with, as cmd (`%NAME%`), a POSIX shell
/// (`$NAME`, `${NAME}`) or PowerShell (`$env:NAME`, `${env:NAME}`) writes
/// it, and the text after it.
fn leading_variable(path: &str) -> Option<(&str, &str)> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let (name, rest) = if let Some(inner) = path.strip_prefix('%') {
        let (name, rest) = inner.split_once('%')?;
        (name, rest)
    } else if let Some(inner) = path.strip_prefix("${") {
        let (name, rest) = inner.split_once('}')?;
        (strip_env_scope(name), rest)
    } else {
        let inner = strip_env_scope(path.strip_prefix('$')?);
        let end = inner.find(|c: char| !is_name(c)).unwrap_or(inner.len());
        inner.split_at(end)
    };
    (!name.is_empty() && name.chars().all(is_name)).then_some((name, rest))
}

/// A PowerShell variable name without its `env:` scope (`env:APPDATA`).
fn strip_env_scope(name: &str) -> &str {
    name.get(..4)
        .filter(|scope| scope.eq_ignore_ascii_case("env:"))
        .and_then(|_| name.get(4..))
        .unwrap_or(name)
}

/// A Windows drive path (`C:\Users\x`, `c:/Users/x`) as Git Bash (MSYS)
/// names it, `/c/Users/x`: the form Windows deployments write their
/// workspace and home in.
fn drive_path(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let letter = *bytes.first()?;
    if !letter.is_ascii_alphabetic() || bytes.get(1) != Some(&b':') {
        return None;
    }
    if !matches!(bytes.get(2), Some(b'/' | b'\\')) {
        return None;
    }
    let rest = path.get(3..)?.replace('\\', "/");
    Some(format!(
        "/{}/{rest}",
        char::from(letter.to_ascii_lowercase())
    ))
}

/// A file share path: `\\host\share\dir` as Windows writes it, or
/// `//host/share/dir` as Git Bash (and PowerShell text read with `\` as
/// `/`) writes it. Its host and its path there (`/share/dir`). A doubled
/// slash before a standard root directory or a drive letter (`//tmp/x`,
/// `//c/Users`) is a local path, and `\\.\` and `\\?\` are device paths.
/// A WebDAV folder in UNC form (`\\host@SSL\DavWWWRoot\dir`,
/// `\\host@8080\dir`) is on `host` (at that port), at the path below the
/// web server's root (`/dir`).
pub(crate) fn file_share(text: &str) -> Option<crate::Target> {
    let share = share_location(text)?;
    Some(crate::Target::Host {
        user: None,
        host: share.host.to_owned(),
        port: share.port,
        path: Some(share.path),
    })
}

/// Where the files of a share path ([`file_share`]) are, as a URL: a
/// WebDAV folder's `https://host/dir` (`http://` without `@SSL`, with its
/// port), any other share's `smb://host/share/dir`.
pub(crate) fn share_url(text: &str) -> Option<String> {
    let share = share_location(text)?;
    let port = share.port.map(|p| format!(":{p}")).unwrap_or_default();
    let scheme = match share.web {
        None => "smb",
        Some(true) => "https",
        Some(false) => "http",
    };
    Some(format!("{scheme}://{}{port}{}", share.host, share.path))
}

/// The path inside WSL that a share path of this machine's WSL file
/// system names: `\\wsl.localhost\DISTRO\home\x` (and the older
/// `\\wsl$\DISTRO\...`, either slash) is `/home/x` in the
/// distribution, a local path, no other host's share.
pub(crate) fn wsl_share_path(text: &str) -> Option<String> {
    let normal = text.replace('\\', "/");
    let rest = normal.strip_prefix("//")?;
    let (host, rest) = rest.split_once('/')?;
    let local = host.eq_ignore_ascii_case("wsl.localhost") || host.eq_ignore_ascii_case("wsl$");
    let (distribution, inside) = rest.split_once('/').unwrap_or((rest, ""));
    (local && !distribution.is_empty()).then(|| format!("/{inside}"))
}

/// A share path's parts.
struct ShareLocation<'a> {
    host: &'a str,
    port: Option<u16>,
    /// `Some` for a WebDAV folder: whether it is reached over TLS.
    web: Option<bool>,
    /// The path on the host: `/share/dir`, or for a WebDAV folder `/dir`
    /// below the web server's root.
    path: String,
}

/// The parts of a share path ([`file_share`]).
fn share_location(text: &str) -> Option<ShareLocation<'_>> {
    let rest = text
        .strip_prefix("\\\\")
        .map(|r| (r, true))
        .or_else(|| text.strip_prefix("//").map(|r| (r, false)));
    let (rest, backslashed) = rest?;
    let mut parts = rest.split(['/', '\\']);
    let (host, port, ssl) = share_authority(parts.next()?)?;
    let share = parts.next().filter(|s| !s.is_empty())?;
    let host_like = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        && host
            .chars()
            .any(|c| c.is_ascii_alphabetic() || c.is_ascii_digit())
        && !host.starts_with('.');
    // This machine's WSL file systems are no other host's share.
    if !host_like || host.eq_ignore_ascii_case("wsl.localhost") {
        return None;
    }
    if !backslashed && (host.len() == 1 || ROOT_DIRECTORIES.contains(&host)) {
        return None;
    }
    // WebDAV's `DavWWWRoot` names the web server's root itself.
    let web_root = share.eq_ignore_ascii_case("DavWWWRoot");
    let web = (ssl || port.is_some() || web_root).then_some(ssl);
    let mut path = if web_root {
        String::new()
    } else {
        format!("/{share}")
    };
    for part in parts.filter(|p| !p.is_empty()) {
        path.push('/');
        path.push_str(part);
    }
    if path.is_empty() {
        path.push('/');
    }
    Some(ShareLocation {
        host,
        port,
        web,
        path,
    })
}

/// A share path's host as written (`fs01`, `host@SSL`, `host@8080`,
/// `host@SSL@8443`): the host, the WebDAV port and whether `@SSL` asks
/// for TLS. `None` for any other `@` suffix.
fn share_authority(text: &str) -> Option<(&str, Option<u16>, bool)> {
    let mut pieces = text.split('@');
    let host = pieces.next()?;
    let (mut port, mut ssl) = (None, false);
    for piece in pieces {
        if piece.eq_ignore_ascii_case("SSL") {
            ssl = true;
        } else {
            port = Some(piece.parse::<u16>().ok()?);
        }
    }
    Some((host, port, ssl))
}

/// The directories of a Unix root (and Git Bash's), which a path with a
/// doubled leading slash names locally.
const ROOT_DIRECTORIES: &[&str] = &[
    "bin",
    "boot",
    "dev",
    "etc",
    "home",
    "lib",
    "lib32",
    "lib64",
    "media",
    "mnt",
    "opt",
    "proc",
    "root",
    "run",
    "sbin",
    "srv",
    "sys",
    "tmp",
    "usr",
    "var",
    "nix",
    "snap",
    "Users",
    "Volumes",
    "Applications",
    "Library",
    "System",
    "private",
    "workspace",
    "workspaces",
    "app",
    "data",
];

/// Resolves `.`, `..` and repeated slashes in an absolute path.
pub(crate) fn normalize(path: &str) -> String {
    if is_normal(path) {
        return path.to_owned();
    }
    normalize_parts(path)
}

/// True when [`normalize_parts`] would give `path` back: `/`, or `/`
/// followed by non-empty components none of which is `.` or `..`.
fn is_normal(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    rest.is_empty() || rest.split('/').all(|part| !matches!(part, "" | "." | ".."))
}

/// [`normalize`] the long way: split, drop `.` and empty parts, pop on `..`.
fn normalize_parts(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

/// True when the absolute, normalised `path` is `dir` or inside it.
pub(crate) fn is_within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    let path = path.trim_end_matches('/');
    path == dir || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// The last component of a path (`/usr/bin/curl` is `curl`).
pub(crate) fn basename(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rsplit_once('/') {
        Some((_, name)) if !name.is_empty() => name,
        _ if trimmed.is_empty() => path,
        _ => trimmed,
    }
}

/// True for targets that discard or duplicate output rather than write a file.
pub(crate) fn is_special_device(path: &str) -> bool {
    matches!(
        path,
        "/dev/null" | "/dev/stdout" | "/dev/stderr" | "/dev/stdin" | "/dev/tty" | "-"
    ) || path.starts_with("/dev/fd/")
}

/// The host and port of bash's network redirections, `/dev/tcp/HOST/PORT`
/// and `/dev/udp/HOST/PORT`.
pub(crate) fn network_device(path: &str) -> Option<crate::Target> {
    let rest = path
        .strip_prefix("/dev/tcp/")
        .or_else(|| path.strip_prefix("/dev/udp/"))?;
    let (host, port) = rest.split_once('/')?;
    (!host.is_empty()).then(|| crate::Target::Host {
        user: None,
        host: host.to_owned(),
        port: port.parse().ok(),
        path: None,
    })
}

/// True when a word looks like a local path: contains `/`, starts with `.`
/// or `~`, or ends in a file extension. URLs and options are not paths.
pub(crate) fn looks_like_path(word: &str) -> bool {
    if word.is_empty() || word.starts_with('-') || word.contains("://") || word.contains('=') {
        return false;
    }
    if word.contains('/') || word.starts_with('.') || word.starts_with('~') {
        return true;
    }
    has_file_extension(word)
}

/// True when the last component ends in `.ext` with a letter-led extension.
pub(crate) fn has_file_extension(word: &str) -> bool {
    let name = basename(word);
    match name.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && !ext.is_empty()
                && ext.len() <= 10
                && ext.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_and_resolves() {
        assert_eq!(normalize("/a/./b/../c//d/"), "/a/c/d");
        assert_eq!(normalize("/.."), "/");
        assert_eq!(resolve("/w", "/h", "~/x"), "/h/x");
        assert_eq!(resolve("/w", "/h", "../x"), "/x");
        assert_eq!(resolve("/w", "/h", "/etc/p"), "/etc/p");
        assert_eq!(resolve("/w/", "/h", "."), "/w");
        assert_eq!(basename("/usr/bin/curl"), "curl");
        assert_eq!(basename("dir/"), "dir");
    }

    /// The shortcut gives what splitting and joining gives.
    #[test]
    fn normal_paths_are_kept_as_they_are() {
        let parts = [
            "", "/", "//", "a", "b.c", ".", "..", "...", ".a", "a.", "~", " ",
        ];
        let mut checked = 0;
        for a in parts {
            for b in parts {
                for c in parts {
                    for path in [
                        format!("{a}/{b}/{c}"),
                        format!("/{a}{b}/{c}"),
                        format!("{a}{b}{c}"),
                    ] {
                        assert_eq!(normalize(&path), normalize_parts(&path), "{path:?}");
                        checked += usize::from(is_normal(&path));
                    }
                }
            }
        }
        assert!(checked > 100, "{checked} normal paths");
        assert!(is_normal("/home/dana/acme-web") && is_normal("/"));
        assert!(!is_normal("/home/dana/") && !is_normal("home") && !is_normal("/a/./b"));
    }

    #[test]
    fn drive_paths_are_git_bash_paths() {
        assert_eq!(resolve("/w", "/h", "C:\\Users\\kofi\\x"), "/c/Users/kofi/x");
        assert_eq!(resolve("/w", "/h", "d:/Shares/../ITDocs"), "/d/ITDocs");
        assert_eq!(resolve("/w", "/h", "C:"), "/w/C:");
        assert_eq!(resolve("/w", "/h", "ab:/x"), "/w/ab:/x");
        assert_eq!(resolve("/w", "/h", "\\\\?\\C:\\Users\\x"), "/c/Users/x");
        assert_eq!(resolve("/w", "/h", "//?/D:/x"), "/d/x");
    }

    fn share(host: &str, path: &str) -> Option<crate::Target> {
        Some(crate::Target::Host {
            user: None,
            host: host.to_owned(),
            port: None,
            path: Some(path.to_owned()),
        })
    }

    #[test]
    fn recognises_file_shares() {
        assert_eq!(
            file_share("\\\\fs01.corp\\HR$\\payroll"),
            share("fs01.corp", "/HR$/payroll")
        );
        assert_eq!(
            file_share("//ftp.partner.com/drop/2026/"),
            share("ftp.partner.com", "/drop/2026")
        );
        assert_eq!(file_share("\\\\nas\\x"), share("nas", "/x"));
        // This machine's WSL file systems are local paths, not shares.
        assert_eq!(file_share("\\\\wsl.localhost\\Ubuntu\\home\\x"), None);
        assert_eq!(
            resolve("/w", "/home/u", "\\\\wsl.localhost\\Ubuntu\\home\\u\\f.txt"),
            "/home/u/f.txt"
        );
        assert_eq!(resolve("/w", "/home/u", "//wsl$/Debian/srv/a"), "/srv/a");
        // A host alone is no share; device paths and local doubled slashes.
        assert_eq!(file_share("//nas"), None);
        assert_eq!(file_share("//nas/"), None);
        assert_eq!(file_share("\\\\.\\PhysicalDrive0"), None);
        assert_eq!(file_share("\\\\?\\C:\\x"), None);
        assert_eq!(file_share("//tmp/x"), None);
        assert_eq!(file_share("//c/Users/x"), None);
        assert_eq!(file_share("/srv/share/x"), None);
        assert_eq!(file_share("share/x"), None);
    }

    #[test]
    fn webdav_folders_are_shares_of_their_host() {
        let dav = |host: &str, port: Option<u16>, path: &str| {
            Some(crate::Target::Host {
                user: None,
                host: host.to_owned(),
                port,
                path: Some(path.to_owned()),
            })
        };
        assert_eq!(
            file_share("\\\\dav.example.com@SSL\\DavWWWRoot\\in\\x"),
            dav("dav.example.com", None, "/in/x")
        );
        assert_eq!(
            file_share("//dav.example.com@SSL@8443/DavWWWRoot"),
            dav("dav.example.com", Some(8443), "/")
        );
        assert_eq!(file_share("\\\\dav@ssl\\in"), dav("dav", None, "/in"));
        assert_eq!(file_share("\\\\dav@x\\in"), None);
        assert_eq!(
            share_url("\\\\dav.example.com@SSL\\DavWWWRoot\\in").as_deref(),
            Some("https://dav.example.com/in")
        );
        assert_eq!(
            share_url("\\\\dav.example.com@8080\\in").as_deref(),
            Some("http://dav.example.com:8080/in")
        );
        assert_eq!(
            share_url("\\\\fs01\\drop$\\in").as_deref(),
            Some("smb://fs01/drop$/in")
        );
        assert_eq!(share_url("/srv/x"), None);
    }

    #[test]
    fn windows_machines_name_drives_and_folders() {
        let (cwd, home) = ("/d/src/app", "/c/Users/ines");
        assert_eq!(resolve(cwd, home, "/mnt/c/Users/ines/x"), "/c/Users/ines/x");
        assert_eq!(resolve(cwd, home, "/mnt/D"), "/d");
        assert_eq!(resolve(cwd, home, "/mnt/wsl/x"), "/mnt/wsl/x");
        assert_eq!(
            resolve(cwd, home, "%AppData%\\gh\\hosts.yml"),
            "/c/Users/ines/AppData/Roaming/gh/hosts.yml"
        );
        assert_eq!(
            resolve(cwd, home, "${env:LOCALAPPDATA}/x"),
            "/c/Users/ines/AppData/Local/x"
        );
        assert_eq!(resolve(cwd, home, "$USERPROFILE"), "/c/Users/ines");
        assert_eq!(
            resolve(cwd, home, "%HOMEDRIVE%%HOMEPATH%\\.ssh"),
            "/c/Users/ines/.ssh"
        );
        assert_eq!(
            resolve(cwd, home, "%HOMEDRIVE%\\x"),
            "/d/src/app/%HOMEDRIVE%/x"
        );
        // Not on a machine that is not Windows.
        assert_eq!(resolve("/srv/app", "/h", "/mnt/c/x"), "/mnt/c/x");
        assert_eq!(
            resolve("/srv/app", "/h", "$APPDATA/x"),
            "/srv/app/$APPDATA/x"
        );
    }

    #[test]
    fn recognises_path_like_words() {
        assert!(looks_like_path("server.js"));
        assert!(looks_like_path("./x"));
        assert!(looks_like_path("src/main"));
        assert!(!looks_like_path("build"));
        assert!(!looks_like_path("1.2"));
        assert!(!looks_like_path("https://x.y/z"));
        assert!(!looks_like_path("-v"));
    }
}
