#![doc(hidden)]
//! The built-in lalrpop lexer
//!
//! This is the code for the built in lexer, and is linked by lalrpop generated parsers to provide
//! lexer support when you don't write a custom lexer.
//!
//! Typically you don't want to use APIs from this module directly, they are public to be accessed
//! by the generated parser.
use alloc::{fmt, vec::Vec};
use core::marker::PhantomData;

use crate::ParseError;

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::{BuildError, LazyStateID};
use regex_automata::nfa::thompson::Config as NfaConfig;
use regex_automata::util::syntax::Config as SyntaxConfig;
use regex_automata::{Anchored, Input, MatchKind};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Token<'input>(pub usize, pub &'input str);
impl fmt::Display for Token<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> Result<(), fmt::Error> {
        fmt::Display::fmt(self.1, formatter)
    }
}

pub struct MatcherBuilder {
    dfa: DFA,
    skip_vec: Vec<bool>,
    // writ patch (vendor/lalrpop-util/PATCHES.md, 2): lazy-DFA caches of
    // earlier matchers, reused by later ones.
    #[cfg(feature = "std")]
    caches: std::sync::Mutex<Vec<Cache>>,
}

// writ patch (vendor/lalrpop-util/PATCHES.md, 1): every DFA built so far,
// by its patterns. The parsers of one grammar (each entry point has its
// own `MatcherBuilder`) share one token set, so all but the first reuse
// its DFA instead of compiling the same regexes again.
#[cfg(feature = "std")]
static BUILT: std::sync::Mutex<Vec<(Vec<alloc::string::String>, DFA)>> =
    std::sync::Mutex::new(Vec::new());

/// Whether `patterns` is `built`, pattern by pattern.
#[cfg(feature = "std")]
fn same_patterns<S: AsRef<str>>(built: &[alloc::string::String], patterns: &[S]) -> bool {
    built.len() == patterns.len() && built.iter().zip(patterns).all(|(b, p)| b == p.as_ref())
}

impl MatcherBuilder {
    #[allow(clippy::result_large_err)]
    pub fn new<S>(exprs: impl IntoIterator<Item = (S, bool)>) -> Result<MatcherBuilder, BuildError>
    where
        S: AsRef<str>,
    {
        let exprs = exprs.into_iter();
        let mut regex_vec = Vec::with_capacity(exprs.size_hint().0);
        let mut skip_vec = Vec::with_capacity(exprs.size_hint().0);
        for (regex, skip) in exprs {
            regex_vec.push(regex);
            skip_vec.push(skip);
        }

        #[cfg(feature = "std")]
        {
            let built = BUILT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some((_, dfa)) = built.iter().find(|(p, _)| same_patterns(p, &regex_vec)) {
                return Ok(MatcherBuilder {
                    dfa: dfa.clone(),
                    skip_vec,
                    caches: std::sync::Mutex::new(Vec::new()),
                });
            }
        }

        let enable_unicode = cfg!(feature = "unicode");
        let dfa = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::All))
            .syntax(
                SyntaxConfig::new()
                    .unicode(enable_unicode)
                    .utf8(enable_unicode),
            )
            .thompson(NfaConfig::new().utf8(enable_unicode).shrink(true))
            .build_many(&regex_vec)?;

        #[cfg(feature = "std")]
        {
            let mut built = BUILT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let patterns = regex_vec.iter().map(|p| p.as_ref().into()).collect();
            built.push((patterns, dfa.clone()));
        }

        Ok(MatcherBuilder {
            dfa,
            skip_vec,
            #[cfg(feature = "std")]
            caches: std::sync::Mutex::new(Vec::new()),
        })
    }

    pub fn matcher<'input, 'builder, E>(
        &'builder self,
        text: &'input str,
    ) -> Matcher<'input, 'builder, E> {
        let input = Input::new(text).anchored(Anchored::Yes);
        #[cfg(feature = "std")]
        let reused = self
            .caches
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop();
        #[cfg(not(feature = "std"))]
        let reused = None;
        let mut cache = reused.unwrap_or_else(|| self.dfa.create_cache());
        let start = self.dfa.start_state_forward(&mut cache, &input).unwrap();
        Matcher {
            text,
            consumed: 0,
            cache: Some(cache),
            start,
            dfa: &self.dfa,
            skip_vec: &self.skip_vec,
            #[cfg(feature = "std")]
            caches: &self.caches,
            _marker: PhantomData,
        }
    }
}

pub struct Matcher<'input, 'builder, E> {
    text: &'input str,
    consumed: usize,
    /// Always `Some` until dropped (then given back to the builder).
    cache: Option<Cache>,
    start: LazyStateID,
    dfa: &'builder DFA,
    skip_vec: &'builder [bool],
    #[cfg(feature = "std")]
    caches: &'builder std::sync::Mutex<Vec<Cache>>,
    _marker: PhantomData<fn() -> E>,
}

#[cfg(feature = "std")]
impl<E> Drop for Matcher<'_, '_, E> {
    fn drop(&mut self) {
        if let Some(cache) = self.cache.take() {
            self.caches
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(cache);
        }
    }
}

impl<'input, E> Iterator for Matcher<'input, '_, E> {
    type Item = Result<(usize, Token<'input>, usize), ParseError<usize, Token<'input>, E>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let cache = self.cache.as_mut()?;
            let text = self.text;
            let start_offset = self.consumed;
            if text.is_empty() {
                self.consumed = start_offset;
                return None;
            }

            let mut match_ = None;
            'search: {
                let mut state = self.start;
                for (i, byte) in text.bytes().enumerate() {
                    state = self.dfa.next_state(cache, state, byte).unwrap();
                    if state.is_match() {
                        match_ = Some((state, i));
                    } else if state.is_dead() {
                        break 'search;
                    }
                }
                state = self.dfa.next_eoi_state(cache, state).unwrap();
                if state.is_match() {
                    match_ = Some((state, text.len()));
                }
            }

            let (match_state, longest_match) = match match_ {
                Some(match_) => match_,
                None => {
                    return Some(Err(ParseError::InvalidToken {
                        location: start_offset,
                    }))
                }
            };
            let index = (0..self.dfa.match_len(cache, match_state))
                .map(|n| {
                    self.dfa
                        .match_pattern(cache, match_state, n)
                        .as_usize()
                })
                .max()
                .unwrap();

            let result = &text[..longest_match];
            let remaining = &text[longest_match..];
            let end_offset = start_offset + longest_match;
            self.text = remaining;
            self.consumed = end_offset;

            if self.skip_vec[index] {
                if longest_match == 0 {
                    return Some(Err(ParseError::InvalidToken {
                        location: start_offset,
                    }));
                }
                continue;
            }

            return Some(Ok((start_offset, Token(index, result), end_offset)));
        }
    }
}
