//! Signing-key tools that are not ssh or gpg: `minisign` and OpenBSD's
//! `signify`. Making a key pair writes both key files (so keys made where
//! the governance files are change them); signing reads the secret key
//! and the message and writes the signature; verifying reads, and
//! signify's embedded verification (`-V -e`) writes the message it
//! recovers.

use super::{Invocation, Outcome};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "minisign" => Some(minisign(inv)),
        "signify" | "signify-openbsd" => Some(signify(inv)),
        _ => None,
    }
}

/// Options as getopt reads them: letters clustered (`-GfW`), a letter in
/// `valued` taking the rest of its word or the next one; other words are
/// operands.
struct Options {
    letters: Vec<(char, Option<String>)>,
    operands: Vec<String>,
}

impl Options {
    fn parse(inv: &Invocation<'_>, valued: &str) -> Self {
        let mut parsed = Self {
            letters: Vec::new(),
            operands: Vec::new(),
        };
        let mut args = inv.args.iter();
        while let Some(arg) = args.next() {
            let text = arg.text.as_str();
            let Some(cluster) = text.strip_prefix('-').filter(|c| !c.is_empty()) else {
                parsed.operands.push(text.to_owned());
                continue;
            };
            for (at, letter) in cluster.char_indices() {
                if !valued.contains(letter) {
                    parsed.letters.push((letter, None));
                    continue;
                }
                let rest = cluster.get(at + letter.len_utf8()..).unwrap_or_default();
                let value = if rest.is_empty() {
                    args.next().map(|a| a.text.clone())
                } else {
                    Some(rest.to_owned())
                };
                parsed.letters.push((letter, value));
                break;
            }
        }
        parsed
    }

    fn has(&self, letter: char) -> bool {
        self.letters.iter().any(|(l, _)| *l == letter)
    }

    /// The last value given to `letter`.
    fn value(&self, letter: char) -> Option<&str> {
        self.letters
            .iter()
            .rev()
            .find(|(l, _)| *l == letter)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Every value given to `letter`, then the operands (minisign's `-m
    /// FILE...` and signify's `-C ... FILE...`).
    fn values_and_operands(&self, letter: char) -> Vec<&str> {
        self.letters
            .iter()
            .filter(|(l, _)| *l == letter)
            .filter_map(|(_, v)| v.as_deref())
            .chain(self.operands.iter().map(String::as_str))
            .collect()
    }
}

/// minisign: `-G` writes the public key (`-p`, `./minisign.pub`) and the
/// secret key (`-s`, `~/.minisign/minisign.key`); `-R` writes the public
/// key from the secret one; `-C` rewrites the secret key; `-S` reads the
/// secret key and each `-m` file and writes its signature (`-x`, else
/// FILE.minisig); `-V` reads the key, the file and the signature.
fn minisign(inv: &Invocation<'_>) -> Outcome {
    let options = Options::parse(inv, "pPsmxctl");
    let public = inv.path(options.value('p').unwrap_or("minisign.pub"));
    let secret = inv.path(options.value('s').unwrap_or("~/.minisign/minisign.key"));
    let messages = options.values_and_operands('m');
    let mut outcome = Outcome::default();
    if options.has('G') {
        outcome.write(public, false);
        outcome.write(secret, false);
    } else if options.has('R') {
        outcome.read(secret, false);
        outcome.write(public, false);
    } else if options.has('C') {
        outcome.read(secret.clone(), false);
        outcome.write(secret, false);
    } else if options.has('S') {
        outcome.read(secret, false);
        signatures(
            inv,
            &mut outcome,
            &messages,
            options.value('x'),
            ".minisig",
            Signature::Written,
        );
    } else if options.has('V') {
        if !options.has('P') {
            outcome.read(public, false);
        }
        signatures(
            inv,
            &mut outcome,
            &messages,
            options.value('x'),
            ".minisig",
            Signature::Read,
        );
    }
    outcome
}

/// signify: `-G` writes `-p` and `-s`; `-S` reads `-s` and `-m` and writes
/// the signature (`-x`, else MESSAGE.sig; the message itself with `-e`);
/// `-V` reads the key, the signature and the message, and with `-e` writes
/// the message out of the signature; `-C` reads a checksum list and the
/// files it checks.
fn signify(inv: &Invocation<'_>) -> Outcome {
    let options = Options::parse(inv, "cmpstx");
    let mut outcome = Outcome::default();
    let key = |letter: char| options.value(letter).map(|k| inv.path(k));
    let message = options.value('m');
    if options.has('G') {
        outcome
            .effects
            .extend(
                ['p', 's']
                    .into_iter()
                    .filter_map(key)
                    .map(|path| crate::Effect::Write {
                        path,
                        append: false,
                    }),
            );
    } else if options.has('S') {
        if let Some(secret) = key('s') {
            outcome.read(secret, false);
        }
        signatures(
            inv,
            &mut outcome,
            &Vec::from_iter(message),
            options.value('x'),
            ".sig",
            Signature::Written,
        );
    } else if options.has('V') {
        if let Some(public) = key('p') {
            outcome.read(public, false);
        }
        let embedded = options.has('e');
        match (embedded, message) {
            (true, Some(message)) => {
                let signature = options
                    .value('x')
                    .map_or_else(|| format!("{message}.sig"), str::to_owned);
                outcome.read(inv.path(&signature), false);
                outcome.write(inv.path(message), false);
            }
            _ => signatures(
                inv,
                &mut outcome,
                &Vec::from_iter(message),
                options.value('x'),
                ".sig",
                Signature::Read,
            ),
        }
    } else if options.has('C') {
        if let Some(public) = key('p') {
            outcome.read(public, false);
        }
        for file in options
            .value('x')
            .into_iter()
            .chain(options.operands.iter().map(String::as_str))
        {
            outcome.read(inv.path(file), false);
        }
    }
    outcome
}

/// What signing (`Signature::Written`) or verifying (`Signature::Read`)
/// `messages` touches: each message is read, and its signature, `signature`
/// when given, else the message's name with `suffix`, written or read.
fn signatures(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    messages: &[&str],
    signature: Option<&str>,
    suffix: &str,
    kind: Signature,
) {
    let touch = |outcome: &mut Outcome, path: String| match kind {
        Signature::Written => outcome.write(path, false),
        Signature::Read => outcome.read(path, false),
    };
    for message in messages {
        outcome.read(inv.path(message), false);
        if signature.is_none() {
            touch(outcome, inv.path(&format!("{message}{suffix}")));
        }
    }
    if let Some(signature) = signature {
        touch(outcome, inv.path(signature));
    }
}

/// Whether a command writes the signatures it names or reads them.
#[derive(Clone, Copy)]
enum Signature {
    Written,
    Read,
}
