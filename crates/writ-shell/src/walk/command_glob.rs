//! A command name written as a glob (`/???/b??/n[c]`, `/usr/bin/cur*`):
//! bash expands it against the file system before it runs anything, so the
//! command is the first match and the other matches are its first
//! arguments. writ does not read the agent's file system; it matches the
//! pattern against the programs a standard install keeps in its `bin`
//! directories.

use globset::GlobBuilder;

use crate::args::Arg;

/// The directories programs are installed in.
const BIN_DIRS: &[&str] = &["/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin"];

/// Programs of a standard install an obfuscated line reaches for:
/// readers, encoders, shells, interpreters, senders, file changers.
const PROGRAMS: &[&str] = &[
    "awk", "base32", "base64", "bash", "busybox", "cat", "chmod", "chown", "cp", "crontab", "curl",
    "cut", "dash", "dd", "dig", "docker", "env", "find", "ftp", "gawk", "git", "gpg", "grep",
    "gzip", "head", "host", "kubectl", "ln", "mail", "mailx", "mv", "nc", "ncat", "netcat", "node",
    "nslookup", "openssl", "perl", "php", "ping", "printf", "python", "python3", "rm", "rsync",
    "ruby", "scp", "sed", "sendmail", "sftp", "sh", "shred", "socat", "ssh", "sudo", "tail", "tar",
    "tee", "telnet", "tftp", "truncate", "wget", "xargs", "xxd", "zip", "zsh",
];

/// What bash expands a command name with glob characters to, sorted, when
/// it matches programs in [`BIN_DIRS`]; `None` for a name with no glob or
/// no match (it stays as written).
pub(super) fn expand(name: &Arg) -> Option<Vec<Arg>> {
    let text = name.text.as_str();
    if name.dynamic || !text.starts_with('/') || !text.contains(['*', '?', '[']) {
        return None;
    }
    let matcher = GlobBuilder::new(text)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .ok()?
        .compile_matcher();
    let mut matches: Vec<String> = BIN_DIRS
        .iter()
        .flat_map(|dir| {
            PROGRAMS
                .iter()
                .map(move |program| format!("{dir}/{program}"))
        })
        .filter(|path| matcher.is_match(path))
        .collect();
    matches.sort();
    matches.dedup();
    (!matches.is_empty()).then(|| matches.iter().map(|m| name.with_text(m)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(text: &str) -> Option<Vec<String>> {
        expand(&Arg::literal(text)).map(|words| words.into_iter().map(|w| w.text).collect())
    }

    #[test]
    fn globbed_names_are_the_programs_they_match() {
        assert_eq!(
            expanded("/???/b??/n[c]"),
            Some(vec!["/usr/bin/nc".to_owned()])
        );
        assert_eq!(
            expanded("/???/c?t"),
            Some(vec!["/bin/cat".to_owned(), "/bin/cut".to_owned()])
        );
        // `*` stays within one directory; the first match is the command.
        assert_eq!(
            expanded("/*/curl"),
            Some(vec!["/bin/curl".to_owned(), "/sbin/curl".to_owned()])
        );
        assert_eq!(expanded("/usr/bin/zz*"), None);
        assert_eq!(expanded("curl"), None);
        assert_eq!(expanded("/usr/bin/curl"), None);
    }
}
