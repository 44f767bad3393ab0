//! How deeply shell text nests, measured before it is parsed.
//!
//! brush-parser's tokenizer recurses once per nested `$(`, `${` or `((`,
//! its parser once per nested compound command, and the walk once per
//! level of what they build. Text nested deeper than a thread's stack
//! allows would crash the process; instead it is refused (`UNPARSED_COMMAND`
//! at the top, an opaque part inside), before any of them runs.

use brush_parser::Token;

/// The deepest one text may nest: brackets and compound commands together.
pub(crate) const MAX_NESTING: usize = 64;

/// The deepest the texts being walked at once may nest, summed: a script
/// run by `eval`, `sh -c` or an earlier step's file nests inside the line
/// that runs it.
pub(crate) const MAX_TOTAL_NESTING: usize = 256;

/// The deepest nesting of `(`, `{` and `[` in `text`, quoted or not (a
/// closer with nothing open is ignored); `None` once it passes `limit`.
pub(crate) fn brackets(text: &str, limit: usize) -> Option<usize> {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for byte in text.bytes() {
        match byte {
            b'(' | b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return None;
                }
                deepest = deepest.max(depth);
            }
            b')' | b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Some(deepest)
}

/// The deepest nesting of compound commands in `tokens` ([`brackets`]
/// counts groups and subshells): `if`, `case` and loops' `do` open one,
/// `fi`, `esac` and `done` close it, and each `elif` nests the rest of its
/// `if` one deeper.
pub(crate) fn compounds(tokens: &[Token]) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for token in tokens {
        let Token::Word(word, _) = token else {
            continue;
        };
        match word.as_str() {
            "if" | "case" | "do" | "elif" => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            "fi" | "esac" | "done" => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_count_the_deepest_open_level() {
        assert_eq!(brackets("echo $(a $(b) ${c})", 8), Some(2));
        assert_eq!(brackets("python -c 'f([{1: 2}])'", 8), Some(3));
        assert_eq!(brackets("case x in a) y;; esac", 8), Some(0));
        assert_eq!(brackets(&"(".repeat(9), 8), None);
    }

    #[test]
    fn compounds_count_keywords_as_tokens_only() {
        let options = brush_parser::ParserOptions::default();
        let tokens = |text: &str| {
            brush_parser::uncached_tokenize_str(text, &options.tokenizer_options())
                .unwrap_or_default()
        };
        let nested = tokens("if a; then while b; do { c; }; done; fi");
        assert_eq!(compounds(&nested), 2);
        let in_sequence = tokens("if a; then b; fi; if c; then d; fi");
        assert_eq!(compounds(&in_sequence), 1);
        // Keywords inside quotes are one word, not compound commands.
        let quoted = tokens("python -c 'if x: pass\nif y: pass'");
        assert_eq!(compounds(&quoted), 0);
        let chain = tokens("if a; then b; elif c; then d; elif e; then f; fi");
        assert_eq!(compounds(&chain), 3);
    }
}
