//! notmuch, the mail indexer: `notmuch [--config=FILE] COMMAND ...`.
//! Its words are search terms (`id:X@host`, `from:a@b.com`,
//! `folder:INBOX`), not files: `show`, `search`, `count`, `address` and
//! `reply` print what the user's mail store holds, which is not known
//! here (`show --format=raw` prints a stored message; `reply` a reply
//! template whose `To:` is the original's author). `dump --output=FILE`
//! writes the tags to FILE and `restore --input=FILE` reads them;
//! `insert` files standard input into the store. None of them sends.

use crate::Payload;
use crate::args::{self, Spec};
use crate::commands::{Invocation, Outcome};

pub(super) fn handle(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &["config", "uuid", "profile", "output", "input", "format"],
            stop_after: None,
        },
    );
    let command = args::positionals(&items)
        .first()
        .map_or("", |a| a.text.as_str());
    let mut outcome = Outcome {
        stdout: Some(Payload::default()),
        ..Outcome::default()
    };
    match command {
        "dump" => {
            for file in args::values(&items, &["--output"]) {
                outcome.write(inv.path(&file.text), false);
            }
        }
        "restore" => {
            for file in args::values(&items, &["--input"]) {
                outcome.read(inv.path(&file.text), false);
            }
        }
        _ => {}
    }
    outcome
}
