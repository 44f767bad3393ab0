//! macOS's `ditto`, which copies as `cp -R` does: `ditto [-v] [-V] [-X]
//! [--rsrc] SRC... DST` reads each source tree and writes the
//! destination; `ditto -c [-k] [--keepParent] SRC ARCHIVE` makes an
//! archive (reads the source, writes the archive, which holds it); `ditto
//! -x [-k] ARCHIVE... DST` extracts (reads the archives, writes under the
//! destination).

use super::{Copy, has_short, transfer};
use crate::args::{self, Spec};
use crate::commands::{Invocation, Outcome};
use crate::{FileRef, Payload, flow};

/// ditto's options that take a value (`--arch arm64`, `--bom FILE`).
const DITTO_VALUES: &[&str] = &["arch", "bom", "zlibCompressionLevel"];

pub(super) fn ditto(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: DITTO_VALUES,
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let positional = args::positionals(&items);
    let Some((destination, sources)) = positional.split_last() else {
        return outcome;
    };
    let sources: Vec<&str> = sources.iter().map(|s| s.text.as_str()).collect();
    if has_short(&items, "c") {
        archive(inv, &sources, &destination.text, &mut outcome);
    } else if has_short(&items, "x") {
        for archive in &sources {
            if *archive != "-" {
                outcome.read(inv.path(archive), false);
            }
        }
        if !sources.is_empty() {
            outcome.write(inv.path(&destination.text), false);
        }
    } else {
        let copy = Copy {
            recursive: true,
            moving: false,
            into_dir: sources.len() > 1 || destination.text.ends_with('/'),
        };
        transfer(inv, &sources, &destination.text, &copy, &mut outcome);
    }
    outcome
}

/// `ditto -c SRC ARCHIVE`: the source trees are read into the archive,
/// which is written (`-` is standard output).
fn archive(inv: &Invocation<'_>, sources: &[&str], archive: &str, outcome: &mut Outcome) {
    let mut contents = Payload::default();
    for source in sources {
        let path = inv.path(source);
        outcome.read(path.clone(), true);
        flow::push_file(
            &mut contents,
            FileRef {
                path,
                recursive: true,
                excludes: Vec::new(),
            },
        );
    }
    if archive == "-" {
        outcome.stdout = Some(contents);
    } else {
        let path = inv.path(archive);
        outcome.contents.push((path.clone(), contents));
        outcome.write(path, false);
    }
}
