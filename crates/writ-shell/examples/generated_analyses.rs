//! Prints the analysis of N generated command lines, one JSON line each,
//! for comparing two builds of writ-shell (a before/after differential):
//! `cargo run --release -p writ-shell --example generated_analyses -- 20000 > after.jsonl`.

#[path = "../tests/support/lines.rs"]
mod lines;

use std::io::Write;

use writ_shell::{ShellContext, analyze};

fn main() -> std::io::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let ctx = ShellContext {
        cwd: "/home/dana/acme-web",
        home: "/home/dana",
        workspace: None,
        written: &[],
    };
    let mut lines = lines::Lines::new(42);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for _ in 0..n {
        let line = lines.line();
        let result = match analyze(&line, &ctx) {
            Ok(analysis) => serde_json::to_string(&analysis).unwrap_or_default(),
            Err(error) => format!("error: {error}"),
        };
        writeln!(out, "{}\t{result}", line.replace('\n', "\\n"))?;
    }
    out.flush()
}
