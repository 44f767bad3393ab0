//! A static bound on what a jq filter can cost before it runs: how many
//! values it yields and how many bytes they add up to, for inputs of a
//! known size, summed over every sub-filter as the work it does. A filter
//! is admitted when that work stays under [`MAX_WORK`] bytes.
//!
//! Only constructs whose cost follows from their parts are admitted: no
//! `def` (recursion), `reduce`/`foreach` (a value rebuilt per step),
//! string repetition (`"a" * 1e9`), or builtins outside [`shape`]'s table
//! (`range`, `repeat`, `recurse(f)`, `walk`, `env`, `input`, `now`,
//! `fromjson`, ...). What is admitted yields at most a polynomial in the
//! input's size, whose value the bound computes; a filter that doubles its
//! value step by step (`{a: ., b: .} | {a: ., b: .} | ...`) is refused
//! once the doubled sizes pass the limit.
//!
//! Each rule over-approximates: a pipe `l | r` costs what `r` costs on
//! each of `l`'s outputs, and since every bound here is a convex function
//! of the input size that is at most `r` on all of them at once plus `r`
//! on an empty input for each other output.

use jaq_core::load::lex::StrPart;
use jaq_core::load::parse::{BinaryOp, Pattern, Term};
use jaq_core::ops::Math;
use jaq_core::path::Part;

/// The most bytes the values a filter builds may add up to.
const MAX_WORK: f64 = 32.0 * 1024.0 * 1024.0;
/// The most values a filter may yield.
const MAX_OUTPUTS: f64 = 1024.0 * 1024.0;
/// The most sub-filters the bound visits (a pipe visits its right side
/// twice).
const MAX_STEPS: usize = 20_000;
/// How many values contain a byte of an input: its nesting depth.
const DEPTH: f64 = super::run::MAX_NESTING as f64;
/// The size of a number, boolean or null.
const SCALAR: f64 = 32.0;

/// True when `term` run on inputs of `inputs` sizes, with `variables`
/// (`$name`, size) bound, stays within the limits.
pub(super) fn admits(term: &Term<&str>, inputs: &[usize], variables: &[(String, usize)]) -> bool {
    let mut meter = Meter {
        variables: variables
            .iter()
            .map(|(name, size)| (name.clone(), *size as f64))
            .collect(),
        work: 0.0,
        steps: 0,
    };
    let mut outputs = 0.0;
    for size in inputs {
        match meter.term(term, *size as f64) {
            Some(bound) => outputs += bound.count,
            None => return false,
        }
    }
    outputs <= MAX_OUTPUTS && meter.work <= MAX_WORK
}

/// How many values a filter yields and their total size in bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bound {
    count: f64,
    size: f64,
}

impl Bound {
    const NOTHING: Bound = Bound {
        count: 0.0,
        size: 0.0,
    };

    fn one(size: f64) -> Bound {
        Bound { count: 1.0, size }
    }

    fn plus(self, other: Bound) -> Bound {
        Bound {
            count: self.count + other.count,
            size: self.size + other.size,
        }
    }

    /// Each of `times` runs yields this.
    fn times(self, times: f64) -> Bound {
        Bound {
            count: self.count * times,
            size: self.size * times,
        }
    }
}

struct Meter {
    /// Bound variables and the size of their values, innermost last.
    variables: Vec<(String, f64)>,
    work: f64,
    steps: usize,
}

impl Meter {
    /// The bound of `term` on one input of `input` bytes; `None` when it is
    /// not admitted.
    fn term(&mut self, term: &Term<&str>, input: f64) -> Option<Bound> {
        self.steps += 1;
        if self.steps > MAX_STEPS || self.work > MAX_WORK {
            return None;
        }
        let bound = match term {
            Term::Id => Bound::one(input),
            // Every value inside the input: each byte is in at most DEPTH.
            Term::Recurse => Bound {
                count: input + 1.0,
                size: DEPTH * (input + 1.0),
            },
            Term::Num(number) => Bound::one(number.len() as f64),
            Term::Str(format, parts) => self.string(format.as_deref(), parts, input)?,
            Term::Arr(None) => Bound::one(2.0),
            Term::Arr(Some(items)) => {
                let items = self.term(items, input)?;
                Bound::one(items.size + items.count + 2.0)
            }
            Term::Obj(entries) => self.object(entries, input)?,
            Term::Neg(term) | Term::Label(_, term) => self.term(term, input)?,
            Term::Break(_) => Bound::NOTHING,
            Term::BinOp(left, op, right) => self.binary(left, op, right, input)?,
            Term::TryCatch(body, catch) => {
                let body = self.term(body, input)?;
                let catch = match catch {
                    // The error is at most what the body was given or built.
                    Some(catch) => self.term(catch, input + body.size + SCALAR)?,
                    None => Bound::NOTHING,
                };
                body.plus(catch)
            }
            Term::IfThenElse(branches, otherwise) => {
                self.conditional(branches, otherwise.as_deref(), input)?
            }
            Term::Var(name) => Bound::one(self.variable(name)?),
            Term::Path(base, path) => {
                let mut bound = self.term(base, input)?;
                for (part, _) in &path.0 {
                    bound = match part {
                        // `.[]`: the children of each value, no larger.
                        Part::Range(None, None) => Bound {
                            count: bound.count + bound.size,
                            size: bound.size,
                        },
                        // Indices are computed from the path's input.
                        Part::Index(index) => bound.times(self.term(index, input)?.count),
                        Part::Range(from, to) => {
                            let from = self.optional(from.as_ref(), input)?;
                            let to = self.optional(to.as_ref(), input)?;
                            bound.times(from * to)
                        }
                    };
                }
                bound
            }
            Term::Call(name, args) => self.call(name, args, input)?,
            // `def`, `reduce` and `foreach`.
            _ => return None,
        };
        self.work += bound.size;
        Some(bound)
    }

    /// How many values an optional term yields (one when absent).
    fn optional(&mut self, term: Option<&Term<&str>>, input: f64) -> Option<f64> {
        match term {
            Some(term) => Some(self.term(term, input)?.count),
            None => Some(1.0),
        }
    }

    /// What a term costs run on each part of an input of `input` bytes
    /// (its elements, entries or matches, at most `input + 1` of them, of
    /// at most `input` bytes in all): by convexity, no more than once on
    /// all of it and once on nothing for each other part.
    fn each(&mut self, term: &Term<&str>, input: f64) -> Option<Bound> {
        let whole = self.term(term, input)?;
        let empty = self.term(term, 0.0)?;
        Some(whole.plus(empty.times(input + 1.0)))
    }

    fn variable(&self, name: &str) -> Option<f64> {
        self.variables
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, size)| *size)
    }

    /// A string: literal parts and interpolated values, which a format
    /// (`@base64 "\(.)"`) may grow.
    fn string(
        &mut self,
        format: Option<&str>,
        parts: &[StrPart<&str, Term<&str>>],
        input: f64,
    ) -> Option<Bound> {
        let growth = match format {
            Some(format) => format_growth(format)?,
            None => 1.0,
        };
        let mut count = 1.0;
        let mut size = 2.0;
        for part in parts {
            match part {
                StrPart::Str(text) => size += text.len() as f64,
                StrPart::Char(_) => size += 6.0,
                StrPart::Term(term) => {
                    let value = self.term(term, input)?;
                    count *= value.count;
                    size += growth * 6.0 * value.size;
                }
            }
        }
        Some(Bound::one(size).times(count))
    }

    /// An object: one for each combination of its keys' and values'.
    fn object(
        &mut self,
        entries: &[(Term<&str>, Option<Term<&str>>)],
        input: f64,
    ) -> Option<Bound> {
        let mut count = 1.0;
        let mut size = 2.0;
        for (key, value) in entries {
            let key_bound = self.term(key, input)?;
            let value_bound = match (key, value) {
                (_, Some(value)) => self.term(value, input)?,
                // `{$x}`
                (Term::Var(name), None) => Bound::one(self.variable(name)?),
                // `{a}` is `{a: .a}`.
                (_, None) => Bound::one(input),
            };
            count *= key_bound.count * value_bound.count;
            size += key_bound.size + value_bound.size + 2.0;
        }
        Some(Bound::one(size).times(count))
    }

    fn conditional(
        &mut self,
        branches: &[(Term<&str>, Term<&str>)],
        otherwise: Option<&Term<&str>>,
        input: f64,
    ) -> Option<Bound> {
        let mut conditions = 1.0;
        let mut widest = match otherwise {
            Some(term) => self.term(term, input)?,
            None => Bound::one(input),
        };
        for (condition, then) in branches {
            conditions *= self.term(condition, input)?.count;
            let then = self.term(then, input)?;
            widest = Bound {
                count: widest.count.max(then.count),
                size: widest.size.max(then.size),
            };
        }
        Some(widest.times(conditions))
    }

    fn binary(
        &mut self,
        left: &Term<&str>,
        op: &BinaryOp<&str>,
        right: &Term<&str>,
        input: f64,
    ) -> Option<Bound> {
        Some(match op {
            BinaryOp::Pipe(None) => {
                let left = self.term(left, input)?;
                let whole = self.term(right, left.size)?;
                let others = (left.count - 1.0).max(0.0);
                if others > 0.0 {
                    whole.plus(self.term(right, 0.0)?.times(others))
                } else {
                    whole
                }
            }
            // `l as $x | r`: `r` on the same input for each of `l`'s values.
            BinaryOp::Pipe(Some(pattern)) => {
                let left = self.term(left, input)?;
                let bound = self.variables.len();
                self.bind(pattern, left.size, input)?;
                let right = self.term(right, input);
                self.variables.truncate(bound);
                right?.times(left.count)
            }
            BinaryOp::Comma | BinaryOp::Alt => {
                self.term(left, input)?.plus(self.term(right, input)?)
            }
            BinaryOp::Or | BinaryOp::And | BinaryOp::Cmp(_) => {
                let count = self.term(left, input)?.count * self.term(right, input)?.count;
                Bound::one(SCALAR).times(count)
            }
            BinaryOp::Math(Math::Mul) | BinaryOp::UpdateMath(Math::Mul) => return None,
            BinaryOp::Math(op) => {
                let left = self.term(left, input)?;
                let right = self.term(right, input)?;
                let count = left.count * right.count;
                let size = left.size * right.count + right.size * left.count;
                let size = match op {
                    // `"a,b" / ","` is an array of the pieces.
                    Math::Div => 4.0 * size + 2.0 * count,
                    Math::Rem => SCALAR * count,
                    _ => size,
                };
                Bound { count, size }
            }
            // `l |= r`: each path's value replaced by `r`'s first value for it.
            BinaryOp::Update => {
                self.paths(left, input)?;
                let replaced = self.each(right, input)?;
                Bound::one(input + replaced.size)
            }
            // `l = r`, `l += r`, `l //= r`: each of `r`'s values (run on the
            // input) put at, or added to, every path.
            BinaryOp::Assign | BinaryOp::UpdateMath(_) | BinaryOp::UpdateAlt => {
                let paths = self.paths(left, input)?;
                let right = self.term(right, input)?;
                Bound::one(input + paths.count * (right.size + SCALAR)).times(right.count)
            }
        })
    }

    /// The paths an update's left side names: a path expression without
    /// `..` or builtins other than selections (an update through `..`
    /// would reach into what it builds).
    fn paths(&mut self, term: &Term<&str>, input: f64) -> Option<Bound> {
        if !is_plain_path(term) {
            return None;
        }
        self.term(term, input)
    }

    /// Binds the variables of a destructuring pattern to values of at most
    /// `size` bytes.
    fn bind(&mut self, pattern: &Pattern<&str>, size: f64, input: f64) -> Option<()> {
        match pattern {
            Pattern::Var(name) => self.variables.push(((*name).to_owned(), size)),
            Pattern::Arr(items) => {
                for item in items {
                    self.bind(item, size, input)?;
                }
            }
            Pattern::Obj(entries) => {
                for (key, item) in entries {
                    self.term(key, input)?;
                    self.bind(item, size, input)?;
                }
            }
        }
        Some(())
    }

    /// A builtin call, by the shape of what it yields.
    fn call(&mut self, name: &str, args: &[Term<&str>], input: f64) -> Option<Bound> {
        let shape = shape(name, args.len())?;
        // Arguments run on the whole input (a selection, a parameter).
        let whole = |meter: &mut Meter| -> Option<(f64, f64)> {
            let mut count = 1.0;
            let mut size = 0.0;
            for arg in args {
                let bound = meter.term(arg, input)?;
                count *= bound.count;
                size += bound.size;
            }
            Some((count, size))
        };
        Some(match shape {
            Shape::Empty => Bound::NOTHING,
            Shape::Scalar => Bound::one(SCALAR).times(whole(self)?.0),
            Shape::Select => Bound::one(input).times(whole(self)?.0),
            Shape::Shrink(growth) => {
                let (count, size) = whole(self)?;
                Bound::one(growth * (input + 8.0) + size).times(count)
            }
            Shape::Generate(growth) => {
                let (count, size) = whole(self)?;
                Bound {
                    count: count * (input + 1.0),
                    size: count * (growth * (input + 8.0) + size),
                }
            }
            // One value built from the argument run on each element
            // (`map(f)`, `with_entries(f)`, `join(s)`).
            Shape::Each(growth) => {
                let parts = growth * input + 16.0;
                let mut size = growth * (input + 8.0);
                for arg in args {
                    let bound = self.each(arg, parts)?;
                    size += bound.size + bound.count;
                }
                Bound::one(size)
            }
            // The last argument's values (`first(f)`, `limit(n; f)`).
            Shape::Pass => {
                let (last, params) = args.split_last()?;
                let mut count = 1.0;
                for param in params {
                    count *= self.term(param, input)?.count;
                }
                self.term(last, input)?.times(count)
            }
            // `sub(re; s)`: the replacement run on each match's captures,
            // one value each (several would multiply per match).
            Shape::Replace => {
                let [pattern, replacement, flags @ ..] = args else {
                    return None;
                };
                let mut count = self.term(pattern, input)?.count;
                for flag in flags {
                    count *= self.term(flag, input)?.count;
                }
                let captures = 2.0 * input + 64.0;
                if self.term(replacement, captures)?.count > 1.0
                    || self.term(replacement, 0.0)?.count > 1.0
                {
                    return None;
                }
                let replaced = self.each(replacement, captures)?;
                Bound::one(input + 8.0 + replaced.size).times(count)
            }
        })
    }
}

/// What a builtin yields, for [`Meter::call`].
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// Nothing.
    Empty,
    /// A number, boolean or short string for each combination of arguments.
    Scalar,
    /// The input, or nothing, for each combination of arguments.
    Select,
    /// One value no larger than the input times the factor plus the arguments.
    Shrink(f64),
    /// Up to one value per byte of the input, all together no larger than
    /// the input times the factor plus the arguments.
    Generate(f64),
    /// One value built from its argument run on each part of the input.
    Each(f64),
    /// The last argument's values.
    Pass,
    /// Matches replaced (`sub`, `gsub`).
    Replace,
}

/// The admitted builtins by name and arity, with the shape of what they
/// yield. Anything else is not admitted: recursion (`recurse(f)`, `walk`,
/// `repeat`, `while`, `until`), unbounded generators (`range`,
/// `combinations`), what reads outside the line (`env`, `input`,
/// `inputs`, `now`, `localtime`, `input_filename`, `debug`, `halt`) and
/// what parses text of unknown depth (`fromjson`).
fn shape(name: &str, arity: usize) -> Option<Shape> {
    use Shape::*;
    Some(match (name, arity) {
        ("empty", 0) => Empty,
        (
            "true" | "false" | "null" | "nan" | "infinite" | "not" | "length" | "utf8bytelength"
            | "type" | "tonumber" | "floor" | "ceil" | "round" | "sqrt" | "fabs" | "abs"
            | "isinfinite" | "isnan" | "isnormal" | "isvalid" | "ascii" | "todate" | "fromdate"
            | "todateiso8601" | "fromdateiso8601" | "gmtime" | "mktime" | "any" | "all" | "error",
            0,
        )
        | (
            "has" | "in" | "inside" | "contains" | "startswith" | "endswith" | "test" | "index"
            | "rindex" | "IN" | "isempty" | "error" | "strftime" | "strptime",
            1,
        )
        | ("test" | "IN" | "any" | "all", 2) => Scalar,
        ("select", 1)
        | (
            "values" | "nulls" | "booleans" | "numbers" | "strings" | "arrays" | "objects"
            | "iterables" | "scalars",
            0,
        ) => Select,
        ("keys" | "keys_unsorted" | "from_entries" | "implode", 0) => Shrink(2.0),
        ("to_entries", 0) => Shrink(10.0),
        ("tostring" | "tojson", 0) => Shrink(6.0),
        ("explode", 0) => Shrink(8.0),
        (
            "ascii_downcase" | "ascii_upcase" | "trim" | "ltrim" | "rtrim" | "sort" | "unique"
            | "reverse" | "min" | "max" | "add" | "flatten" | "first" | "last",
            0,
        )
        | (
            "ltrimstr" | "rtrimstr" | "trimstr" | "add" | "flatten" | "del" | "delpaths"
            | "getpath" | "pick" | "nth",
            1,
        )
        | ("setpath", 2) => Shrink(1.0),
        ("split", 1 | 2) => Shrink(5.0),
        ("indices" | "capture", 1) | ("capture", 2) => Shrink(8.0),
        ("splits", 1 | 2) => Generate(3.0),
        ("scan", 1 | 2) => Generate(4.0),
        ("match", 1 | 2) => Generate(8.0),
        ("paths" | "leaf_paths" | "tostream", 0) | ("path", 1) => Generate(DEPTH),
        ("map" | "map_values" | "join" | "any" | "all", 1) => Each(1.0),
        ("sort_by" | "group_by" | "unique_by" | "min_by" | "max_by", 1) => Each(2.0),
        ("with_entries", 1) => Each(10.0),
        ("first" | "last", 1) | ("limit" | "nth" | "skip", 2) => Pass,
        ("sub" | "gsub", 2 | 3) => Replace,
        _ if arity == 0 && name.starts_with('@') => Shrink(format_growth(name)?),
        _ => return None,
    })
}

/// How much a format can grow the text it formats.
fn format_growth(format: &str) -> Option<f64> {
    Some(match format {
        "@text" | "@json" | "@html" => 6.0,
        "@uri" => 3.0,
        "@sh" => 4.0,
        "@csv" | "@tsv" | "@base64" | "@base32" => 2.0,
        "@base64d" | "@base32d" => 1.0,
        _ => return None,
    })
}

/// A path expression an update may write through: paths, variables,
/// literals, selections and the first or last of them.
fn is_plain_path(term: &Term<&str>) -> bool {
    match term {
        Term::Id | Term::Num(_) | Term::Var(_) => true,
        Term::Str(None, parts) => parts.iter().all(|p| !matches!(p, StrPart::Term(_))),
        Term::Path(base, path) => {
            is_plain_path(base)
                && path.0.iter().all(|(part, _)| match part {
                    Part::Index(index) => is_plain_path(index),
                    Part::Range(from, to) => from.iter().chain(to.iter()).all(|t| is_plain_path(t)),
                })
        }
        Term::BinOp(left, BinaryOp::Pipe(None) | BinaryOp::Comma, right) => {
            is_plain_path(left) && is_plain_path(right)
        }
        Term::Call(name, args) => match (*name, args.as_slice()) {
            ("select", [_]) => true,
            ("first" | "last", [inner]) => is_plain_path(inner),
            ("empty", []) => true,
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admitted(filter: &str, input: usize) -> bool {
        let Some(term) = jaq_core::load::parse(filter, |p| p.term()) else {
            return false;
        };
        admits(&term, &[input], &[("$x".to_owned(), 40)])
    }

    #[test]
    fn admits_filters_that_build_payloads() {
        for filter in [
            r#"{ref: $x, environment: "staging", auto_merge: false, required_contexts: []}"#,
            ".items | map(select(.x == \"y\") | {a: .a, n: .name})",
            ".[] | .name",
            r#".version |= "1.2" | .tags += ["x"]"#,
            r#"to_entries | map("\(.key)=\(.value)") | join("&")"#,
            r#"@base64 "\(.user):\(.token)""#,
            r#"[.. | .id? // empty]"#,
            r#"gsub("a"; "b") | ascii_downcase"#,
        ] {
            assert!(admitted(filter, 10_000), "{filter}");
        }
    }

    #[test]
    fn refuses_what_recurses_or_explodes() {
        for filter in [
            "def f: f; f",
            "[range(1e9)]",
            "[limit(1e9; repeat(1))]",
            "reduce .[] as $x (.; [., .])",
            r#""a" * 1000000000"#,
            "env.HOME",
            "$ENV.HOME",
            "input",
            "walk(.)",
            "recurse(. + 1)",
            ".. |= [.]",
            r#"gsub(""; "a", "b")"#,
            &"{a: ., b: .} | ".repeat(30).to_string(),
        ] {
            let filter = format!("{filter} | .");
            assert!(!admitted(&filter, 100), "{filter}");
        }
    }
}
