//! The analyses of the last few command lines: agents repeat commands, and
//! parsing and walking one costs far more than a lookup here.
//!
//! [`analyze`](crate::analyze) is a pure function of the text, the working
//! directory and the home directory, so an entry with all three equal gives
//! the same result as analysing again. Bounded: at most [`SLOTS`] entries of
//! command lines up to [`MAX_TEXT`] bytes, the oldest replaced first.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Mutex;

use crate::{Analysis, ShellContext, ShellError};

/// How many command lines are remembered.
pub(crate) const SLOTS: usize = 64;
/// Longer command lines are analysed every time.
pub(crate) const MAX_TEXT: usize = 8 * 1024;

struct Entry {
    hash: u64,
    command: String,
    cwd: String,
    home: String,
    result: Result<Analysis, ShellError>,
}

impl Entry {
    fn is(&self, hash: u64, command: &str, ctx: &ShellContext<'_>) -> bool {
        self.hash == hash && self.command == command && self.cwd == ctx.cwd && self.home == ctx.home
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

fn key_hash(command: &str, ctx: &ShellContext<'_>) -> u64 {
    let mut h = DefaultHasher::new();
    (command, ctx.cwd, ctx.home).hash(&mut h);
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
        let entry = Entry {
            hash,
            command: command.to_owned(),
            cwd: ctx.cwd.to_owned(),
            home: ctx.home.to_owned(),
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
