//! Expanded command arguments and a small getopt-style option reader.

use std::borrow::Cow;

use crate::Payload;
use crate::flow;

/// One argument after quote removal and the expansions writ can resolve.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Arg {
    /// The text: quotes removed, `~`/`$HOME`/literal variables expanded,
    /// other expansions kept as written (`$TOKEN`, `$(cat f)`).
    pub text: String,
    /// Environment variables the word references.
    pub env: Vec<String>,
    /// What command substitutions and tracked variables in the word carry.
    pub prov: Payload,
    /// The inner text of command substitutions in the word.
    pub substitutions: Vec<String>,
    /// True when the word holds an expansion whose value is unknown.
    pub dynamic: bool,
    /// The whole word was single-quoted: its `$` are characters.
    pub quoted: bool,
}

impl Arg {
    /// A word with no expansions.
    pub(crate) fn literal(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            ..Self::default()
        }
    }

    /// The same word's expansions with different text (a part of the word).
    pub(crate) fn with_text(&self, text: &str) -> Self {
        Self {
            text: text.to_owned(),
            ..self.clone()
        }
    }

    /// What the word carries when it is sent: its text and its expansions.
    pub(crate) fn payload(&self) -> Payload {
        let mut payload = self.expansions();
        if self.quoted {
            flow::push_quoted(&mut payload, &self.text);
        } else {
            flow::push_text(&mut payload, &self.text);
        }
        payload
    }

    /// What the word's expansions carry, without its text.
    pub(crate) fn expansions(&self) -> Payload {
        let mut payload = self.prov.clone();
        for name in &self.env {
            flow::push_env(&mut payload, name);
        }
        payload
    }
}

/// Which options take a value.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Spec<'a> {
    /// Short option letters that take a value (`"XdH"`).
    pub short: &'a str,
    /// Long option names, without dashes, that take a value.
    pub long: &'a [&'a str],
    /// Stop reading options after this many positionals (`ssh host cmd -x`).
    pub stop_after: Option<usize>,
}

/// An option or a positional argument, borrowed from the arguments where
/// it can be (a name or value that is a part of a word is copied).
// Items are short-lived views of one command's words, mostly borrowed:
// boxing the rare owned value would allocate for every option read.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item<'a> {
    /// `-X` / `--request`, with dashes, and its value when it takes one.
    Opt {
        name: Cow<'a, str>,
        value: Option<Cow<'a, Arg>>,
    },
    /// A positional argument.
    Pos(&'a Arg),
}

impl Item<'_> {
    /// True for the option called `name`.
    pub(crate) fn is(&self, names: &[&str]) -> bool {
        matches!(self, Item::Opt { name, .. } if names.contains(&name.as_ref()))
    }
}

/// Splits arguments into options and positionals following `spec`.
pub(crate) fn parse<'a>(args: &'a [Arg], spec: &Spec<'_>) -> Vec<Item<'a>> {
    let mut items = Vec::with_capacity(args.len());
    let mut positionals = 0usize;
    let mut only_positionals = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.text.as_str();
        if only_positionals || spec.stop_after.is_some_and(|n| positionals >= n.max(1)) {
            items.push(Item::Pos(arg));
            positionals += 1;
            continue;
        }
        if text == "--" {
            only_positionals = true;
            continue;
        }
        if let Some(long) = text.strip_prefix("--") {
            items.push(long_option(long, arg, &mut iter, spec));
        } else if text.len() > 1 && text.starts_with('-') {
            short_cluster(text, arg, &mut iter, spec, &mut items);
        } else {
            items.push(Item::Pos(arg));
            positionals += 1;
        }
    }
    items
}

fn long_option<'a>(
    long: &str,
    arg: &'a Arg,
    rest: &mut impl Iterator<Item = &'a Arg>,
    spec: &Spec<'_>,
) -> Item<'a> {
    if let Some((name, value)) = long.split_once('=') {
        let name = arg.text.get(..name.len() + 2).unwrap_or_default();
        return Item::Opt {
            name: Cow::Borrowed(name),
            value: Some(Cow::Owned(arg.with_text(value))),
        };
    }
    let value = if spec.long.contains(&long) {
        rest.next().map(Cow::Borrowed)
    } else {
        None
    };
    Item::Opt {
        name: Cow::Borrowed(&arg.text),
        value,
    }
}

fn short_cluster<'a>(
    text: &'a str,
    arg: &'a Arg,
    rest: &mut impl Iterator<Item = &'a Arg>,
    spec: &Spec<'_>,
    items: &mut Vec<Item<'a>>,
) {
    let body = text.get(1..).unwrap_or_default();
    for (index, letter) in body.char_indices() {
        let end = index + 1 + letter.len_utf8();
        // `-X` alone is its own name; a letter inside a cluster is copied.
        let name = if index == 0 && end == text.len() {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(format!("-{letter}"))
        };
        if spec.short.contains(letter) {
            let attached = body.get(index + letter.len_utf8()..).unwrap_or_default();
            let value = if attached.is_empty() {
                rest.next().map(Cow::Borrowed)
            } else {
                Some(Cow::Owned(arg.with_text(attached)))
            };
            items.push(Item::Opt { name, value });
            return;
        }
        items.push(Item::Opt { name, value: None });
    }
}

/// [`parse`] with the options that take a value given as one list of
/// names: one letter for a short option (`f`), more for a long one
/// (`testers-file`).
pub(crate) fn parse_valued<'a>(args: &'a [Arg], values: &[&str]) -> Vec<Item<'a>> {
    let short: String = values.iter().filter(|v| v.len() == 1).copied().collect();
    let long: Vec<&str> = values.iter().filter(|v| v.len() > 1).copied().collect();
    parse(
        args,
        &Spec {
            short: &short,
            long: &long,
            stop_after: None,
        },
    )
}

/// The words before `--`, and those after it.
pub(crate) fn split_double_dash(args: &[Arg]) -> (&[Arg], &[Arg]) {
    match args.iter().position(|a| a.text == "--") {
        Some(at) => (
            args.get(..at).unwrap_or_default(),
            args.get(at + 1..).unwrap_or_default(),
        ),
        None => (args, &[]),
    }
}

/// The words of `args` that are not options, for commands whose options
/// take no values (or where a value mistaken for a word does no harm).
pub(crate) fn words(args: &[Arg]) -> Vec<&str> {
    args.iter()
        .map(|a| a.text.as_str())
        .filter(|w| !w.starts_with('-'))
        .collect()
}

/// The words before the first option: a CLI's subcommand and what
/// follows it (`config:set K=V` of `heroku config:set K=V -a app`).
pub(crate) fn leading(args: &[Arg]) -> Vec<&str> {
    args.iter()
        .map(|a| a.text.as_str())
        .take_while(|w| !w.starts_with('-'))
        .collect()
}

/// The positional arguments among `items`.
pub(crate) fn positionals<'a>(items: &[Item<'a>]) -> Vec<&'a Arg> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Pos(arg) => Some(*arg),
            Item::Opt { .. } => None,
        })
        .collect()
}

/// The positional words in lower case: a CLI's subcommand path read as
/// the CLI reads it (`m365 Outlook Mail Send`).
pub(crate) fn lowercase_positionals(items: &[Item<'_>]) -> Vec<String> {
    positionals(items)
        .iter()
        .map(|a| a.text.to_ascii_lowercase())
        .collect()
}

/// Every option that has a value, as `(name, value)`, in order.
pub(crate) fn options<'a>(items: &'a [Item<'_>]) -> impl Iterator<Item = (&'a str, &'a Arg)> {
    items.iter().filter_map(|item| match item {
        Item::Opt {
            name,
            value: Some(value),
        } => Some((name.as_ref(), value.as_ref())),
        Item::Opt { .. } | Item::Pos(_) => None,
    })
}

/// True when any option called one of `names` is present.
pub(crate) fn has(items: &[Item<'_>], names: &[&str]) -> bool {
    items.iter().any(|item| item.is(names))
}

/// The values of every option called one of `names`, in order.
pub(crate) fn values<'a>(items: &'a [Item<'_>], names: &[&str]) -> Vec<&'a Arg> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Opt {
                name,
                value: Some(value),
            } if names.contains(&name.as_ref()) => Some(value.as_ref()),
            _ => None,
        })
        .collect()
}

/// The last value of an option called one of `names`.
pub(crate) fn value<'a>(items: &'a [Item<'_>], names: &[&str]) -> Option<&'a Arg> {
    items.iter().rev().find_map(|item| match item {
        Item::Opt {
            name,
            value: Some(value),
        } if names.contains(&name.as_ref()) => Some(value.as_ref()),
        _ => None,
    })
}

/// Where the options of a CLI read by [`long_options`] stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OptionsEnd {
    /// At the first positional (Go's `flag` package: `grpcurl -d '{}'
    /// host:443 svc/M -H x` has no `-H`).
    FirstPositional,
    /// Only at `--`: positionals may come between options (Node CLIs,
    /// cobra).
    DoubleDash,
}

/// Long options written with one dash or two (`-name`, `--name`), a value
/// after `=` or, for the names in `values`, as the next word; `--` ends
/// them. Names come back as `prefix` and the name (`-rpc-header`,
/// `--url`).
pub(crate) fn long_options<'a>(
    words: &'a [Arg],
    values: &[&str],
    end: OptionsEnd,
    prefix: &str,
) -> Vec<Item<'a>> {
    let mut items = Vec::with_capacity(words.len());
    let mut rest = words.iter();
    while let Some(word) = rest.next() {
        let text = word.text.as_str();
        let Some(body) = text.strip_prefix('-').filter(|b| !b.is_empty()) else {
            items.push(Item::Pos(word));
            if end == OptionsEnd::FirstPositional {
                break;
            }
            continue;
        };
        if body == "-" {
            break;
        }
        let body = body.strip_prefix('-').unwrap_or(body);
        let (name, value) = match body.split_once('=') {
            Some((name, value)) => (name, Some(Cow::Owned(word.with_text(value)))),
            None if values.contains(&body) => (body, rest.next().map(Cow::Borrowed)),
            None => (body, None),
        };
        items.push(Item::Opt {
            name: Cow::Owned(format!("{prefix}{name}")),
            value,
        });
    }
    items.extend(rest.map(Item::Pos));
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(words: &[&str]) -> Vec<Arg> {
        words.iter().map(|w| Arg::literal(w)).collect()
    }

    #[test]
    fn reads_clusters_and_long_values() {
        let spec = Spec {
            short: "Xd",
            long: &["data"],
            stop_after: None,
        };
        let args = lits(&[
            "-sSLX", "POST", "-XPUT", "--data", "a=b", "--x=y", "-L", "u", "--", "-z",
        ]);
        let items = parse(&args, &spec);
        let names: Vec<&str> = items
            .iter()
            .filter_map(|i| match i {
                Item::Opt { name, .. } => Some(name.as_ref()),
                Item::Pos(_) => None,
            })
            .collect();
        assert_eq!(names, ["-s", "-S", "-L", "-X", "-X", "--data", "--x", "-L"]);
        assert_eq!(value(&items, &["-X"]).map(|a| a.text.as_str()), Some("PUT"));
        assert_eq!(
            value(&items, &["--data"]).map(|a| a.text.as_str()),
            Some("a=b")
        );
        assert_eq!(value(&items, &["--x"]).map(|a| a.text.as_str()), Some("y"));
        assert!(has(&items, &["-L"]));
        let pos: Vec<&str> = positionals(&items)
            .iter()
            .map(|a| a.text.as_str())
            .collect();
        assert_eq!(pos, vec!["u", "-z"]);
    }
}
