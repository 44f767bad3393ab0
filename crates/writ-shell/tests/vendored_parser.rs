//! The vendored brush-parser's speed patches (vendor/brush-parser/PATCHES.md)
//! change nothing that is parsed: checked against the unpatched code paths
//! on generated command lines.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use brush_parser::word::{is_assignment_word_by_grammar, may_be_assignment_word_quick};
use brush_parser::{Parser, ParserOptions, Token};
use support::lines::{ASSIGNISH, Lines};

const LINES: usize = 4000;

/// The tokenizer reading the text directly gives the tokens, the AST and
/// the errors that the parser's own reader path (a `BufReader`) gives.
#[test]
fn direct_tokenizing_parses_like_the_buffered_reader() {
    let options = ParserOptions::default();
    let mut lines = Lines::new(7);
    let (mut parsed, mut failed) = (0, 0);
    for _ in 0..LINES {
        let line = lines.line();
        let buffered = Parser::new(std::io::BufReader::new(line.as_bytes()), &options)
            .parse_program()
            .map(|program| format!("{program:?}"));
        let direct = brush_parser::uncached_tokenize_str(&line, &options.tokenizer_options())
            .map_err(|e| e.to_string())
            .and_then(|tokens| {
                brush_parser::parse_tokens(&tokens, &options).map_err(|e| e.to_string())
            })
            .map(|program| format!("{program:?}"));
        match (&buffered, &direct) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{line}");
                parsed += 1;
            }
            (Err(_), Err(_)) => failed += 1,
            _ => panic!("{line}: buffered {buffered:?}, direct {direct:?}"),
        }
    }
    // The generator exercises both outcomes.
    assert!(parsed > LINES / 2, "{parsed} parsed");
    assert!(failed > 0, "none failed");
}

/// A word the quick check rejects is not an assignment by the grammar, so
/// skipping the grammar for it changes no parse.
#[test]
fn the_quick_assignment_check_never_rejects_an_assignment() {
    let options = ParserOptions::default();
    let mut words: Vec<String> = ASSIGNISH.iter().map(|w| (*w).to_owned()).collect();
    let mut lines = Lines::new(11);
    for _ in 0..LINES {
        let line = lines.line();
        if let Ok(tokens) = brush_parser::uncached_tokenize_str(&line, &options.tokenizer_options())
        {
            words.extend(tokens.into_iter().filter_map(|t| match t {
                Token::Word(w, _) => Some(w),
                Token::Operator(..) => None,
            }));
        }
    }
    // Every prefix of every word, too: the boundary cases of the check.
    let prefixes: Vec<String> = words
        .iter()
        .flat_map(|w| w.char_indices().map(move |(i, _)| w[..i].to_owned()))
        .collect();
    words.extend(prefixes);
    let (mut assignments, mut rejected) = (0, 0);
    for word in &words {
        let by_grammar = is_assignment_word_by_grammar(word);
        let quick = may_be_assignment_word_quick(word);
        assert!(
            quick || !by_grammar,
            "{word:?} is an assignment the quick check rejects"
        );
        assignments += usize::from(by_grammar);
        rejected += usize::from(!quick);
    }
    assert!(assignments > 100, "{assignments} assignments");
    assert!(
        rejected > words.len() / 2,
        "{rejected} of {} rejected",
        words.len()
    );
}
