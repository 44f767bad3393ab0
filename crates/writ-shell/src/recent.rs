//! The analyses of the last few command lines: agents repeat commands, and
//! parsing and walking one costs far more than a lookup here.
//!
//! [`analyze`](crate::analyze) is a pure function of the text, the working
//! directory, the home directory, the workspace and the files earlier steps
//! wrote, so an entry with all five equal gives the same result as
//! analysing again.
//! Bounded: at most [`SLOTS`] entries of command lines up to [`MAX_TEXT`]
//! bytes, the oldest replaced first. Entries with the same written files
//! share one copy of them (a session's steps see the same files).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use crate::{Analysis, ShellContext, ShellError, WrittenFile};

/// How many command lines are remembered.
pub(crate) const SLOTS: usize = 64;
/// Longer command lines are analysed every time.
pub(crate) const MAX_TEXT: usize = 8 * 1024;

struct Entry {
    hash: u64,
    command: String,
    cwd: String,
    home: String,
    workspace: Option<String>,
    written: Arc<[WrittenFile]>,
    result: Result<Analysis, ShellError>,
}

impl Entry {
    fn is(&self, hash: u64, command: &str, ctx: &ShellContext<'_>) -> bool {
        self.hash == hash
            && self.command == command
            && self.cwd == ctx.cwd
            && self.home == ctx.home
            && self.workspace.as_deref() == ctx.workspace
            && *self.written == *ctx.written
    }
}

struct Recent {
    entries: Vec<Entry>,
    /// The slot the next new entry takes once all are used.
    next: usize,
}

static RECENT: Mutex<Recent> = Mutex::new(Recent {
    entries: Vec::new(),
    next: 0,
});

/// The key's hash: the written files by path and size only, which is
/// cheap; an entry's equality compares them whole.
fn key_hash(command: &str, ctx: &ShellContext<'_>) -> u64 {
    let mut h = DefaultHasher::new();
    (command, ctx.cwd, ctx.home, ctx.workspace).hash(&mut h);
    for file in ctx.written {
        let holds = &file.holds;
        let text: usize = holds.text.iter().map(String::len).sum();
        (&file.path, text, holds.files.len(), holds.env.len()).hash(&mut h);
    }
    h.finish()
}

/// `analyze(command, ctx)`: remembered, or computed and remembered.
pub(crate) fn analysis(
    command: &str,
    ctx: &ShellContext<'_>,
    analyze: impl FnOnce() -> Result<Analysis, ShellError>,
) -> Result<Analysis, ShellError> {
    if command.len() > MAX_TEXT {
        return analyze();
    }
    let hash = key_hash(command, ctx);
    if let Ok(recent) = RECENT.lock()
        && let Some(hit) = recent.entries.iter().find(|e| e.is(hash, command, ctx))
    {
        return hit.result.clone();
    }
    // Not locked while analysing: another thread may analyse the same text.
    let result = analyze();
    if let Ok(mut recent) = RECENT.lock()
        && !recent.entries.iter().any(|e| e.is(hash, command, ctx))
    {
        let written = recent
            .entries
            .iter()
            .find(|e| *e.written == *ctx.written)
            .map_or_else(|| Arc::from(ctx.written), |e| Arc::clone(&e.written));
        let entry = Entry {
            hash,
            command: command.to_owned(),
            cwd: ctx.cwd.to_owned(),
            home: ctx.home.to_owned(),
            workspace: ctx.workspace.map(str::to_owned),
            written,
            result: result.clone(),
        };
        if recent.entries.len() < SLOTS {
            recent.entries.push(entry);
        } else {
            let slot = recent.next % SLOTS;
            if let Some(old) = recent.entries.get_mut(slot) {
                *old = entry;
            }
            recent.next = (slot + 1) % SLOTS;
        }
    }
    result
}

/// How many command lines are remembered now (for tests).
#[cfg(test)]
pub(crate) fn len() -> usize {
    RECENT.lock().map(|r| r.entries.len()).unwrap_or(0)
}
