//! Bash arithmetic over values the line set: `$((OPTIND - 1))`,
//! `$((n * 2))`, `$[1+1]`. A count that `shift`, a slice or an index takes
//! from arithmetic is then known; anything with a side effect (`i++`,
//! `x = 3`) or a value the line did not set stays unknown.

use brush_parser::ast::{ArithmeticExpr, ArithmeticTarget, BinaryOperator, UnaryOperator};

/// Deepest nesting evaluated; deeper expressions are unknown.
const MAX_DEPTH: usize = 64;

/// The value of the arithmetic text `text`, with `lookup` giving a
/// variable's literal value; `None` when it cannot be worked out.
pub(super) fn evaluate(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<i64> {
    let text = dereferenced(text)?;
    let expr = brush_parser::arithmetic::parse(&text).ok()?;
    value(&expr, lookup, 0)
}

/// `text` with `$NAME` and `${NAME}` written as `NAME`, which arithmetic
/// reads the same way; `None` for any other expansion (`$1`, `$(cmd)`).
fn dereferenced(text: &str) -> Option<String> {
    if !text.contains(['$', '`']) {
        return Some(text.to_owned());
    }
    if text.contains('`') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, consumed) = match after.strip_prefix('{') {
            Some(braced) => {
                let end = braced.find('}')?;
                (&braced[..end], end + 2)
            }
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], end)
            }
        };
        let is_name = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !is_name {
            return None;
        }
        out.push_str(name);
        rest = &after[consumed..];
    }
    out.push_str(rest);
    Some(out)
}

fn value(
    expr: &ArithmeticExpr,
    lookup: &dyn Fn(&str) -> Option<String>,
    depth: usize,
) -> Option<i64> {
    if depth > MAX_DEPTH {
        return None;
    }
    let eval = |e: &ArithmeticExpr| value(e, lookup, depth + 1);
    match expr {
        ArithmeticExpr::Literal(n) => Some(*n),
        ArithmeticExpr::Reference(ArithmeticTarget::Variable(name)) => {
            lookup(name)?.trim().parse().ok()
        }
        ArithmeticExpr::Reference(ArithmeticTarget::ArrayElement(..)) => None,
        ArithmeticExpr::UnaryOp(op, operand) => {
            let v = eval(operand)?;
            Some(match op {
                UnaryOperator::UnaryPlus => v,
                UnaryOperator::UnaryMinus => v.checked_neg()?,
                UnaryOperator::BitwiseNot => !v,
                UnaryOperator::LogicalNot => i64::from(v == 0),
            })
        }
        ArithmeticExpr::BinaryOp(op, left, right) => binary(*op, eval(left)?, eval(right)?),
        ArithmeticExpr::Conditional(condition, then, otherwise) => {
            if eval(condition)? != 0 {
                eval(then)
            } else {
                eval(otherwise)
            }
        }
        ArithmeticExpr::Assignment(..)
        | ArithmeticExpr::BinaryAssignment(..)
        | ArithmeticExpr::UnaryAssignment(..) => None,
    }
}

fn binary(op: BinaryOperator, a: i64, b: i64) -> Option<i64> {
    use BinaryOperator as B;
    Some(match op {
        B::Power => a.checked_pow(u32::try_from(b).ok()?)?,
        B::Multiply => a.checked_mul(b)?,
        B::Divide => a.checked_div(b)?,
        B::Modulo => a.checked_rem(b)?,
        B::Comma => b,
        B::Add => a.checked_add(b)?,
        B::Subtract => a.checked_sub(b)?,
        B::ShiftLeft => a.checked_shl(u32::try_from(b).ok()?)?,
        B::ShiftRight => a.checked_shr(u32::try_from(b).ok()?)?,
        B::LessThan => i64::from(a < b),
        B::LessThanOrEqualTo => i64::from(a <= b),
        B::GreaterThan => i64::from(a > b),
        B::GreaterThanOrEqualTo => i64::from(a >= b),
        B::Equals => i64::from(a == b),
        B::NotEquals => i64::from(a != b),
        B::BitwiseAnd => a & b,
        B::BitwiseXor => a ^ b,
        B::BitwiseOr => a | b,
        B::LogicalAnd => i64::from(a != 0 && b != 0),
        B::LogicalOr => i64::from(a != 0 || b != 0),
    })
}

#[cfg(test)]
mod tests {
    use super::evaluate;

    fn vars(name: &str) -> Option<String> {
        match name {
            "OPTIND" => Some("4".to_owned()),
            "word" => Some("curl".to_owned()),
            _ => None,
        }
    }

    #[test]
    fn known_values_are_worked_out() {
        assert_eq!(evaluate("OPTIND - 1", &vars), Some(3));
        assert_eq!(evaluate("$OPTIND-1", &vars), Some(3));
        assert_eq!(evaluate("${OPTIND} * 2 + 1", &vars), Some(9));
        assert_eq!(evaluate("2 ** 3 % 5", &vars), Some(3));
        assert_eq!(evaluate("OPTIND > 3 ? 10 : 20", &vars), Some(10));
    }

    #[test]
    fn unknown_values_and_side_effects_stay_unknown() {
        assert_eq!(evaluate("UNSET + 1", &vars), None);
        assert_eq!(evaluate("word + 1", &vars), None);
        assert_eq!(evaluate("$1 + 1", &vars), None);
        assert_eq!(evaluate("i++", &vars), None);
        assert_eq!(evaluate("x = 3", &vars), None);
        assert_eq!(evaluate("1 / 0", &vars), None);
        assert_eq!(evaluate("$(date +%s) - 1", &vars), None);
    }
}
