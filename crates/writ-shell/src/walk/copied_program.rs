//! Programs under another name: a copy or link of an installed program
//! (`cp "$(command -v curl)" /tmp/.cache/fetchd`, `ln -s /usr/bin/curl x`,
//! `install -m755 $(which curl) x`) is that program, so running it by its
//! new path (`/tmp/.cache/fetchd -T .env URL`, on the line or in a later
//! step) runs curl.
//!
//! A lookup of a program (`$(command -v NAME)`, `$(which NAME)`, `$(type
//! -P NAME)`) prints the program's path: `/usr/bin/NAME`, known text, so
//! a copy of it holds that file ([`lookup_path`]). A file whose known
//! contents are exactly one file in a directory of programs runs as that
//! program, by its path or by its name in a directory the line puts
//! first on `PATH` (`PATH="/tmp/.cache:$PATH" fetchd ...`)
//! ([`Analyzer::copied_program`]).

use super::{Analyzer, Scope};
use crate::args::Arg;
use crate::paths;

/// Directories that hold installed programs.
const PROGRAM_DIRS: &[&str] = &[
    "/usr/bin",
    "/bin",
    "/usr/local/bin",
    "/usr/sbin",
    "/sbin",
    "/usr/local/sbin",
    "/opt/homebrew/bin",
];

/// Multi-call programs, which act as the name they are run by (a link
/// `/tmp/nc` to busybox is busybox's `nc`), so a copy keeps its own name.
const MULTI_CALL: &[&str] = &["busybox", "toybox"];

impl Analyzer<'_> {
    /// The program a command runs when the file it names is known to be a
    /// copy of (or link to) one installed program: that program's path, as
    /// the command's name. A name with a `/` is that file; a bare name is
    /// looked up in the directories `PATH` puts first (the command's
    /// `PATH=DIR:$PATH` prefix, else the line's), which the line names.
    pub(super) fn copied_program(
        &self,
        name: &Arg,
        env: &[(String, Arg)],
        scope: &Scope,
    ) -> Option<Arg> {
        if name.dynamic || name.text.is_empty() || self.contents.is_empty() {
            return None;
        }
        let path = if name.text.contains('/') {
            paths::resolve(&scope.cwd, self.home, &name.text)
        } else {
            let search = env
                .iter()
                .rev()
                .find(|(variable, _)| variable == "PATH")
                .map(|(_, value)| value.text.as_str())
                .or_else(|| scope.vars.get("PATH").map(|var| var.value.text.as_str()))?;
            known_dirs(search)
                .map(|dir| format!("{}/{}", dir.trim_end_matches('/'), name.text))
                .find(|candidate| self.contents.contains_key(candidate))?
        };
        let holds = self.contents.get(&path)?;
        let [file] = holds.files.as_slice() else {
            return None;
        };
        let only_the_file = holds.text.is_empty()
            && holds.env.is_empty()
            && holds.credentials.is_empty()
            && !holds.repository
            && !file.recursive;
        let (dir, program) = file.path.rsplit_once('/')?;
        let by_own_name = !program.is_empty() && !MULTI_CALL.contains(&program);
        (only_the_file && PROGRAM_DIRS.contains(&dir) && by_own_name)
            .then(|| name.with_text(&file.path))
    }
}

/// The directories a `PATH` value names before the first one the line
/// does not fix (`/tmp/bin:$PATH`: `/tmp/bin`), which are searched first.
fn known_dirs(search: &str) -> impl Iterator<Item = &str> {
    search
        .split(':')
        .take_while(|dir| dir.starts_with('/') && !dir.contains(['$', '`']))
}

/// The path a substitution that looks a program up prints (`command -v
/// curl`, `which curl`, `type -P curl`): `/usr/bin/curl`, where the
/// program is installed as far as the line can tell. `None` for anything
/// else, or a name that is not one plain word.
pub(super) fn lookup_path(inner: &str) -> Option<String> {
    let words: Vec<&str> = inner.split_whitespace().collect();
    let program = match words.as_slice() {
        ["which", program] | ["command", "-v", program] | ["type", "-p" | "-P", program] => {
            program.trim_matches(['"', '\''])
        }
        _ => return None,
    };
    let plain = !program.is_empty()
        && program
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.+".contains(c));
    plain.then(|| format!("/usr/bin/{program}"))
}
