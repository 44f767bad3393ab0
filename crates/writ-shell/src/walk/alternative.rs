//! `${X:+word}` and `${X+word}`: word when X is set (and, for `:+`, not
//! empty), else nothing. A script's switches are written this way
//! (`aws s3 cp f s3://b/k ${PUBLIC:+--acl public-read}`, run as `PUBLIC=1
//! ./publish.sh`), so the expansion is read when the line fixes whether X
//! is set: a variable it assigned known text, or a positional parameter
//! of a script or function given known words. A variable the line never
//! set, or set to a value not known, leaves the expansion unknown.

use brush_parser::word::{Parameter, ParameterExpr, ParameterTestType};

use super::{Analyzer, Scope, absorb, positional_values};
use crate::args::Arg;

/// Whether a parameter is set and whether its value is empty, `Some((set,
/// empty))`, when the line fixes both.
type Setting = Option<(bool, bool)>;

impl Analyzer<'_> {
    /// Appends the value of `${X:+word}` (`${X+word}`) to `arg` when the
    /// line fixes whether X is set; false (nothing appended) when it does
    /// not, or `expr` is no such expansion.
    pub(super) fn alternative_value(
        &mut self,
        expr: &ParameterExpr,
        scope: &Scope,
        arg: &mut Arg,
    ) -> bool {
        let ParameterExpr::UseAlternativeValue {
            parameter,
            indirect: false,
            test_type,
            alternative_value,
        } = expr
        else {
            return false;
        };
        let Some((set, empty)) = setting(parameter, scope) else {
            return false;
        };
        let applies = match test_type {
            ParameterTestType::UnsetOrNull => set && !empty,
            ParameterTestType::Unset => set,
        };
        if applies {
            let value = self.expand(alternative_value.as_deref().unwrap_or_default(), scope);
            arg.text.push_str(&value.text);
            absorb(arg, &value);
        }
        true
    }
}

/// The [`Setting`] of `parameter`: a variable the line assigned known
/// text (and only that), or a positional parameter of a script or
/// function whose arguments are all known.
fn setting(parameter: &Parameter, scope: &Scope) -> Setting {
    match parameter {
        Parameter::Named(name) => {
            let var = scope.vars.get(name)?;
            if !var.choices.is_empty() || var.array.is_some() {
                return None;
            }
            var.literal.as_ref().map(|text| (true, text.is_empty()))
        }
        Parameter::Positional(n) if *n >= 1 => {
            if !scope.positional_known {
                return None;
            }
            match positional_values(parameter, scope) {
                Some([value]) if !value.dynamic => Some((true, value.text.is_empty())),
                Some(_) => None,
                None => Some((false, true)),
            }
        }
        _ => None,
    }
}
