//! A Python path's ancestors by index, `p.parents[N]`, spelled as the
//! path evaluator reads them: `.parent` N+1 times. A script finds its
//! repository this way (`ROOT = Path(__file__).resolve().parents[1]`)
//! before writing under it (`ROOT / ".claude" / "settings.local.json"`).

use super::literals;

/// The deepest ancestor index rewritten.
const MAX_INDEX: usize = 16;

/// `code` with each `.parents[N]` (N a written-out number, outside string
/// literals) as `.parent` repeated N+1 times; `None` when there is none.
pub(super) fn spelled_out(code: &str) -> Option<String> {
    if !code.contains(".parents[") {
        return None;
    }
    let literals = literals(code);
    let mut out = String::with_capacity(code.len());
    let mut copied = 0;
    for (at, found) in code.match_indices(".parents[") {
        if at < copied || literals.iter().any(|l| l.start <= at && at < l.end) {
            continue;
        }
        let digits_at = at + found.len();
        let Some(rest) = code.get(digits_at..) else {
            continue;
        };
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let Ok(index) = digits.parse::<usize>() else {
            continue;
        };
        if index > MAX_INDEX || !rest.get(digits.len()..).is_some_and(|r| r.starts_with(']')) {
            continue;
        }
        out.push_str(code.get(copied..at)?);
        out.push_str(&".parent".repeat(index + 1));
        copied = digits_at + digits.len() + 1;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(code.get(copied..)?);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexed_ancestors_become_parent_steps() {
        assert_eq!(
            spelled_out("R = Path(__file__).resolve().parents[1]\nx = p.parents[0] / 'a'\n")
                .as_deref(),
            Some("R = Path(__file__).resolve().parent.parent\nx = p.parent / 'a'\n")
        );
        // In a string, or indexed by a name, it stays.
        assert_eq!(
            spelled_out("print('.parents[1]')\ny = p.parents[i]\n"),
            None
        );
    }
}
