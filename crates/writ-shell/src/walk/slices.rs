//! Slices of the positional parameters and of arrays: `"${@:2}"`,
//! `"${@:N:M}"`, `"${*:N}"`, `"${a[@]:N:M}"`. A wrapper that passes on
//! the arguments after its first (`gh_api() { curl ... "${1#/}"
//! "${@:2}"; }`) gives the command those words, none when there are
//! none, as bash does. Known only when the arguments (or the array's
//! elements) and the bounds are: otherwise the word stays dynamic.

use brush_parser::word::{Parameter, ParameterExpr, SpecialParameter};

use super::{Analyzer, Scope, absorb, arith, literal_value};
use crate::args::Arg;

/// The words a slice gives: one per element (`@`), or one word of them
/// all (`*`, [`Slice::joined`]).
pub(super) struct Slice {
    pub(super) elements: Vec<Arg>,
    /// `${*:N}`, `${a[*]:N}`: the elements joined into one word.
    pub(super) concatenate: bool,
}

impl Slice {
    /// The elements joined by spaces, as `"${*:N}"` reads them, carrying
    /// what each carries.
    pub(super) fn joined(&self) -> Arg {
        let mut joined = Arg::default();
        for (at, element) in self.elements.iter().enumerate() {
            if at > 0 {
                joined.text.push(' ');
            }
            joined.text.push_str(&element.text);
            absorb(&mut joined, element);
        }
        joined
    }
}

impl Analyzer<'_> {
    /// The elements `${@:N:M}` (`${*:N:M}`, `${a[@]:N:M}`) selects, when
    /// the line fixes what it slices and its bounds; `None` for any other
    /// expansion or when something is not known.
    pub(super) fn slice(&self, expr: &ParameterExpr, scope: &Scope) -> Option<Slice> {
        let ParameterExpr::Substring {
            parameter,
            indirect: false,
            offset,
            length,
        } = expr
        else {
            return None;
        };
        let lookup = |name: &str| literal_value(scope, name);
        let offset = arith::evaluate(&offset.value, &lookup)?;
        let length = match length {
            Some(length) => Some(arith::evaluate(&length.value, &lookup)?),
            None => None,
        };
        let (elements, concatenate) = match parameter {
            Parameter::Special(SpecialParameter::AllPositionalParameters { concatenate }) => {
                (positional_slice(scope, offset, length)?, *concatenate)
            }
            Parameter::NamedWithAllIndices { name, concatenate } => {
                let array = scope.vars.get(name)?.array.as_ref()?;
                // Keys given (`([3]=x)`) may leave gaps the indices count.
                if array.keys.is_some() {
                    return None;
                }
                (sliced(&array.elements, offset, length)?, *concatenate)
            }
            _ => return None,
        };
        Some(Slice {
            elements,
            concatenate,
        })
    }
}

/// `${@:offset:length}`: counted from `$0`, so offset 1 is `$1`; a
/// negative offset counts back from one past the last argument (`-1` is
/// the last). `$0` is taken only when it is known.
fn positional_slice(scope: &Scope, offset: i64, length: Option<i64>) -> Option<Vec<Arg>> {
    if !scope.positional_known && scope.positional.is_empty() {
        return None;
    }
    let count = i64::try_from(scope.positional.len()).ok()?;
    let start = if offset < 0 {
        count + 1 + offset
    } else {
        offset
    };
    match start {
        ..0 => Some(Vec::new()),
        // Starts at `$0`: the shell's or script's name.
        0 => {
            let mut all = vec![scope.zeroth.clone()?];
            all.extend(scope.positional.iter().cloned());
            sliced(&all, 0, length)
        }
        _ => sliced(&scope.positional, start - 1, length),
    }
}

/// The elements from index `start` (negative: counted from the end), at
/// most `length` of them. Out of range is none; a negative length is an
/// expansion error bash stops at, so not known.
fn sliced(elements: &[Arg], start: i64, length: Option<i64>) -> Option<Vec<Arg>> {
    let count = i64::try_from(elements.len()).ok()?;
    let start = if start < 0 { count + start } else { start };
    if start < 0 || start >= count {
        return Some(Vec::new());
    }
    let end = match length {
        Some(length) if length < 0 => return None,
        Some(length) => start.saturating_add(length).min(count),
        None => count,
    };
    let (start, end) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
    Some(elements.get(start..end)?.to_vec())
}
