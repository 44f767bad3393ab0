//! What a session has done so far: the state the decision reads.
//!
//! The state is a plain value; [`SessionState::record`] folds one finished
//! step into it. Stores persist it between processes.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use writ_shell::WrittenFile;

/// An item the agent acted on (an instruction, a retrieved document, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasisItem {
    /// `user_instruction`, `retrieved`, `memory`, `tool_output`, `summary` or `policy`.
    pub kind: String,
    pub trust: Trust,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Whether text may direct the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trust {
    Trusted,
    Untrusted,
}

/// A session's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionState {
    /// Sensitivity labels the session has read (`secret`, `confidential`, ...).
    pub read_labels: BTreeSet<String>,
    /// Actions routed to `block` so far.
    pub blocked: u32,
    /// Steps recorded so far.
    pub steps: u32,
    /// Lower-cased untrusted text the session has seen.
    pub untrusted_text: String,
    /// Lower-cased trusted text (user instructions, trusted basis items).
    pub trusted_text: String,
    /// Dry runs that succeeded (`terraform:/abs/dir`, `kubectl:/abs/file`, `helm:release`).
    pub dry_runs: BTreeSet<String>,
    /// Approvals already used (their ids).
    pub consumed_approvals: BTreeSet<String>,
    /// Repositories cloned so far, `(directory, source URL)`, oldest first.
    pub clones: Vec<(String, String)>,
    /// Remotes set so far, `(repository directory, name, URL)`, oldest first.
    pub remotes: Vec<(String, String, String)>,
    /// Settings that move pushes written so far (`git config --global
    /// url.BASE.pushInsteadOf PREFIX`, `remote.NAME.pushurl`), as
    /// `(scope, key, value)` (scope `/`: every repository), oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub url_settings: Vec<(String, String, String)>,
    /// The Kubernetes context an earlier step made current (`kubectl config
    /// use-context`, `kubectx`, a cloud CLI's get-credentials).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kube_context: Option<String>,
    /// Branches checked out so far, `(repository directory, branch)`,
    /// oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub branches: Vec<(String, String)>,
    /// Symbolic links made so far, `(link, target)`, oldest first; an
    /// empty target: the link was removed. The latest
    /// [`crate::links::SESSION_LINKS`]. A later effect on a link, or a
    /// path below one, is also one on its target.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<(String, String)>,
    /// Files written so far and what each holds, oldest first: the latest
    /// [`writ_shell::WRITTEN_FILES`] whose contents are known. A later
    /// command that runs one runs its text; one that sends it sends what
    /// it holds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub written: Vec<WrittenFile>,
    /// The paths among `written` whose contents the session learned by
    /// reading them whole (a read tool's output), not by writing them:
    /// the first to go when the list is full, so a session that reads
    /// many files keeps the scripts it wrote.
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub read_whole: BTreeSet<String>,
    /// Entries that directory listings showed (`ls -la deploy` printed
    /// `.env`), as absolute paths, oldest first: the latest
    /// [`LISTED_ENTRIES`]. A later read or upload of a whole directory
    /// holds those below it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub listed: Vec<String>,
    /// Files that package listings showed a package holds (`npm pack
    /// --dry-run` printed `.env`), as absolute paths, oldest first: the
    /// latest [`LISTED_ENTRIES`]. Publishing the package from its
    /// directory sends those below it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packaged: Vec<String>,
}

/// What one finished step contributes to its session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    /// The step's route was `block`.
    pub blocked: bool,
    /// The step ran (its outcome was not an error).
    pub ran: bool,
    /// Labels of sensitive files it read and of its output.
    pub read_labels: Vec<String>,
    /// Its output, when that output is untrusted.
    pub untrusted_output: Option<String>,
    /// Dry runs it performed.
    pub dry_runs: Vec<String>,
    /// Approvals it used.
    pub approvals_used: Vec<String>,
    /// Repositories it cloned, `(directory, source URL)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clones: Vec<(String, String)>,
    /// Remotes it set, `(repository directory, name, URL)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remotes: Vec<(String, String, String)>,
    /// Settings it wrote that move pushes, `(scope, key, value)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub url_settings: Vec<(String, String, String)>,
    /// The Kubernetes context it made current.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_context: Option<String>,
    /// Branches it checked out, `(repository directory, branch)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub branches: Vec<(String, String)>,
    /// Symbolic links it made or removed, `(link, target)`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<(String, String)>,
    /// Files it wrote or deleted, with what each then holds (nothing, when
    /// that is not known).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub written: Vec<WrittenFile>,
    /// Files it read whole, with the text its output showed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read_files: Vec<WrittenFile>,
    /// Entries its directory listings showed, as absolute paths.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listed: Vec<String>,
    /// Files its package listings showed (`npm pack --dry-run`), as
    /// absolute paths.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packaged: Vec<String>,
}

/// Entries listed again move to the end of `known`; the latest
/// [`LISTED_ENTRIES`] are kept.
fn record_listed(known: &mut Vec<String>, listed: &[String]) {
    if listed.is_empty() {
        return;
    }
    let again: BTreeSet<&String> = listed.iter().collect();
    known.retain(|entry| !again.contains(entry));
    let mut seen = BTreeSet::new();
    known.extend(
        listed
            .iter()
            .filter(|entry| seen.insert(entry.as_str()))
            .cloned(),
    );
    if known.len() > LISTED_ENTRIES {
        known.drain(..known.len() - LISTED_ENTRIES);
    }
}

/// How many listed entries a session remembers (the latest).
pub const LISTED_ENTRIES: usize = 4096;

/// Upper bound on the untrusted text kept per session, in bytes: the most
/// recent text is kept.
pub const UNTRUSTED_TEXT_LIMIT: usize = 256 * 1024;

impl SessionState {
    /// Adds the basis items an action was taken on.
    pub fn add_basis(&mut self, basis: &[BasisItem]) {
        for item in basis {
            match item.trust {
                Trust::Trusted => append_text(&mut self.trusted_text, &item.text),
                Trust::Untrusted => append_text(&mut self.untrusted_text, &item.text),
            }
        }
    }

    /// Folds a finished step into the state. A step that did not run counts
    /// toward blocks but reads nothing and proves no dry run.
    pub fn record(&mut self, step: &StepRecord) {
        self.steps = self.steps.saturating_add(1);
        if step.blocked {
            self.blocked = self.blocked.saturating_add(1);
        }
        self.consumed_approvals
            .extend(step.approvals_used.iter().cloned());
        if !step.ran {
            return;
        }
        self.read_labels.extend(step.read_labels.iter().cloned());
        if let Some(text) = &step.untrusted_output {
            append_text(&mut self.untrusted_text, text);
        }
        self.dry_runs.extend(step.dry_runs.iter().cloned());
        self.clones.extend(step.clones.iter().cloned());
        self.remotes.extend(step.remotes.iter().cloned());
        self.url_settings.extend(step.url_settings.iter().cloned());
        // Settings are few; a runaway session keeps its latest.
        if self.url_settings.len() > 256 {
            self.url_settings.drain(..self.url_settings.len() - 256);
        }
        self.branches.extend(step.branches.iter().cloned());
        // Only the latest per repository matters.
        if self.branches.len() > 64 {
            self.branches.drain(..self.branches.len() - 64);
        }
        // A link made or removed again replaces what the session knew of it.
        for link in &step.links {
            self.links.retain(|(path, _)| *path != link.0);
            self.links.push(link.clone());
        }
        if self.links.len() > crate::links::SESSION_LINKS {
            self.links
                .drain(..self.links.len() - crate::links::SESSION_LINKS);
        }
        if step.kube_context.is_some() {
            self.kube_context.clone_from(&step.kube_context);
        }
        self.record_written(&step.written, false);
        self.record_written(&step.read_files, true);
        record_listed(&mut self.listed, &step.listed);
        record_listed(&mut self.packaged, &step.packaged);
    }

    /// A file written (or read whole) again replaces what the session knew
    /// of it, as a part of it shown replaces an earlier part (not its whole
    /// text); one whose contents are not known is forgotten; the latest
    /// [`writ_shell::WRITTEN_FILES`] are kept, those only read going first.
    fn record_written(&mut self, written: &[WrittenFile], read: bool) {
        for file in written {
            // A part of a file shown adds nothing to its whole text known.
            if file.partial
                && self
                    .written
                    .iter()
                    .any(|w| w.path == file.path && !w.partial)
            {
                continue;
            }
            self.written.retain(|w| w.path != file.path);
            self.read_whole.remove(&file.path);
            if !file.holds.is_empty() {
                self.written.push(if file.partial {
                    WrittenFile::partial_view(file.path.clone(), file.holds.text.join("\n"))
                } else {
                    WrittenFile::new(file.path.clone(), file.holds.clone())
                });
                if read {
                    self.read_whole.insert(file.path.clone());
                }
            }
        }
        while self.written.len() > writ_shell::WRITTEN_FILES {
            let oldest_read = self
                .written
                .iter()
                .position(|w| self.read_whole.contains(&w.path));
            let gone = self.written.remove(oldest_read.unwrap_or(0));
            self.read_whole.remove(&gone.path);
        }
    }
}

fn append_text(buffer: &mut String, text: &str) {
    if !buffer.is_empty() {
        buffer.push('\n');
    }
    buffer.push_str(&text.to_lowercase());
    if buffer.len() > UNTRUSTED_TEXT_LIMIT {
        let mut cut = buffer.len() - UNTRUSTED_TEXT_LIMIT;
        while !buffer.is_char_boundary(cut) {
            cut += 1;
        }
        buffer.drain(..cut);
    }
}

/// True when `needle` (lower-case) occurs in `haystack` (lower-case) as a
/// whole token: not glued to letters, digits, `-`, `_` or `@` on either side.
pub fn mentions(haystack: &str, needle: &str) -> bool {
    mentioned(haystack, needle, true)
}

/// [`mentions`] of a host name, which an e-mail address also names (the
/// text's `ops@quick-mailer.net` mentions the host `quick-mailer.net`).
pub fn mentions_host(haystack: &str, host: &str) -> bool {
    mentioned(haystack, host, false)
}

/// An account identifier (an IBAN, an account or routing number): eight
/// or more letters and digits, six or more of them digits, written in
/// groups or not (`LT60 1010 0123 4567 8901`, `0012-3456-78`). Returns it
/// without its separators, upper-cased letters lowered.
pub fn account_identifier(target: &str) -> Option<String> {
    let compact: String = target
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect();
    let digits = compact.chars().filter(char::is_ascii_digit).count();
    (compact.len() >= 8 && digits >= 6 && compact.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(compact)
}

/// True when the account identifier `compact` (from
/// [`account_identifier`]) occurs in `haystack` (lower-case) as a whole
/// token, however its characters are grouped there: single spaces, `-` or
/// `.` between them are skipped, as invoices print IBANs in fours.
pub fn mentions_account(haystack: &str, compact: &str) -> bool {
    let Some(first) = compact.chars().next() else {
        return false;
    };
    let wanted: Vec<char> = compact.chars().collect();
    haystack.match_indices(first).any(|(at, _)| {
        let before = haystack.get(..at).and_then(|s| s.chars().next_back());
        if before.is_some_and(char::is_alphanumeric) {
            return false;
        }
        let mut rest = haystack.get(at..).unwrap_or_default().chars().peekable();
        for (i, want) in wanted.iter().enumerate() {
            if i > 0 && matches!(rest.peek(), Some(' ' | '-' | '.')) {
                rest.next();
            }
            if rest.next() != Some(*want) {
                return false;
            }
        }
        !rest.next().is_some_and(char::is_alphanumeric)
    })
}

fn mentioned(haystack: &str, needle: &str, at_glues: bool) -> bool {
    if needle.is_empty() {
        return false;
    }
    let glued = |c: Option<char>, before: bool| {
        c.is_some_and(|c| {
            c.is_alphanumeric() || matches!(c, '-' | '_') || (c == '@' && (at_glues || !before))
        })
    };
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack.get(..at).and_then(|s| s.chars().next_back());
        let after = haystack
            .get(at + needle.len()..)
            .and_then(|s| s.chars().next());
        !glued(before, true) && !glued(after, false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_whole_tokens_only() {
        assert!(mentions("email ops@x.net now", "ops@x.net"));
        assert!(mentions("(see evil.io.)", "evil.io"));
        assert!(!mentions("notevil.io", "evil.io"));
        assert!(!mentions("devops@x.net", "ops@x.net"));
        assert!(!mentions("anything", ""));
    }

    #[test]
    fn an_account_is_mentioned_however_it_is_grouped() {
        let iban = account_identifier("LT60 1010 0123 4567 8901").unwrap();
        assert_eq!(iban, "lt601010012345678901");
        assert_eq!(account_identifier("LT601010012345678901").unwrap(), iban);
        for text in [
            "new bank details: iban lt60 1010 0123 4567 8901.",
            "iban: lt60-1010-0123-4567-8901",
            "(lt601010012345678901)",
        ] {
            assert!(mentions_account(text, &iban), "{text}");
        }
        for text in [
            "iban lt60 1010 0123 4567 89012",
            "xlt601010012345678901",
            "lt60 1010 0123 4567 8902",
            "lt60  1010 0123 4567 8901",
        ] {
            assert!(!mentions_account(text, &iban), "{text}");
        }
        assert_eq!(account_identifier("ops@x.net"), None);
        assert_eq!(account_identifier("acme-supplies"), None);
        assert_eq!(account_identifier("12345"), None);
    }

    #[test]
    fn an_address_mentions_its_host() {
        assert!(mentions_host(
            "email ops@quick-mailer.net now",
            "quick-mailer.net"
        ));
        assert!(!mentions(
            "email ops@quick-mailer.net now",
            "quick-mailer.net"
        ));
        assert!(!mentions_host(
            "see notquick-mailer.net",
            "quick-mailer.net"
        ));
        assert!(!mentions_host("quick-mailer.net@x", "quick-mailer.net"));
    }

    #[test]
    fn failed_steps_count_blocks_but_read_nothing() {
        let mut s = SessionState::default();
        s.record(&StepRecord {
            blocked: true,
            ran: false,
            read_labels: vec!["secret".into()],
            dry_runs: vec!["terraform:/w".into()],
            ..StepRecord::default()
        });
        assert_eq!(s.blocked, 1);
        assert!(s.read_labels.is_empty());
        assert!(s.dry_runs.is_empty());
    }

    #[test]
    fn untrusted_text_is_bounded() {
        let mut s = SessionState::default();
        let chunk = "é".repeat(100_000);
        for _ in 0..5 {
            s.record(&StepRecord {
                ran: true,
                untrusted_output: Some(chunk.clone()),
                ..StepRecord::default()
            });
        }
        assert!(s.untrusted_text.len() <= UNTRUSTED_TEXT_LIMIT);
    }
}
