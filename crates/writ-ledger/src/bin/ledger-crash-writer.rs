//! Test helper for the crash test: appends receipts to a ledger in batches
//! forever (or up to a limit) and prints every index to stdout only after
//! the batch containing it has committed. The crash test kills it with
//! SIGKILL at random moments and checks that every printed index survived.
//!
//! Usage: `ledger-crash-writer <db path> [max batch size] [max entries]`

use std::io::Write;
use std::process::ExitCode;

use writ_ledger::Ledger;

/// Deterministic payload of entry `i` (the test recomputes it).
fn payload(i: u64) -> Vec<u8> {
    format!(
        "{{\"receipt\":{i},\"pad\":\"{}\"}}",
        "x".repeat((i % 37) as usize)
    )
    .into_bytes()
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: ledger-crash-writer <db> [batch] [max]")?;
    let max_batch: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(64);
    let max_entries: u64 = args
        .next()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(u64::MAX);
    let mut ledger = Ledger::open(&path)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // Vary batch sizes so commits of 1 and of many entries both get killed.
    let sizes = [1u64, 7, max_batch, 3, max_batch / 2 + 1, 1, 2];
    let mut round = 0usize;
    while ledger.size() < max_entries {
        let n = sizes.get(round % sizes.len()).copied().unwrap_or(1).max(1);
        round += 1;
        let start = ledger.size();
        let items: Vec<Vec<u8>> = (start..start + n).map(payload).collect();
        let range = ledger.append_batch(&items)?;
        if range.start != start {
            return Err(format!("expected batch at {start}, got {}", range.start).into());
        }
        // Acknowledge only after commit.
        for i in range {
            writeln!(out, "{i}")?;
        }
        out.flush()?;
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ledger-crash-writer: {e}");
            ExitCode::FAILURE
        }
    }
}
