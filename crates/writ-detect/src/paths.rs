//! Paths: lexical normalisation and sensitive-path globs.

/// Joins `path` to `base` unless absolute, expands a leading `~`/`~/` and
/// `$HOME`/`${HOME}` to `home`, and resolves `.` and `..` lexically. The
/// result is absolute, without a trailing slash (except `/`).
pub fn normalize(path: &str, base: &str, home: &str) -> String {
    let _ = (path, base, home);
    todo!()
}

/// True when `path` is `dir` or below it (both absolute, normalised).
pub fn is_within(path: &str, dir: &str) -> bool {
    let _ = (path, dir);
    todo!()
}

/// A set of labelled globs (`**/.env` → `secret`), matched against a path
/// relative to the workspace and against the absolute path, with `~` in a
/// glob expanded from `home`. Globs follow gitignore-like rules: `*` does
/// not cross `/`, `**` matches any number of segments; a glob without `/`
/// matches a path whose last segment it matches (`*.pem` matches `a/b/x.pem`).
#[derive(Debug, Clone)]
pub struct PathLabels<L> {
    _labels: Vec<L>,
}

/// An invalid glob, with the glob as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobError {
    pub glob: String,
    pub message: String,
}

impl<L: Clone> PathLabels<L> {
    /// Compiles `entries` for a workspace and a home directory (both absolute).
    pub fn new(entries: &[(String, L)], workspace: &str, home: &str) -> Result<Self, GlobError> {
        let _ = (entries, workspace, home);
        todo!()
    }

    /// Labels of every glob that matches `path` (absolute, normalised). When
    /// `recursive` is true, also of every glob that could match some path
    /// below `path` (`tar` of the workspace root matches `**/.env` and
    /// `data/customers*.csv`; of `src` it matches `**/.env` but not
    /// `data/customers*.csv`).
    pub fn labels(&self, path: &str, recursive: bool) -> Vec<L> {
        let _ = (path, recursive);
        todo!()
    }

    /// True when no glob was given.
    pub fn is_empty(&self) -> bool {
        self._labels.is_empty()
    }
}
