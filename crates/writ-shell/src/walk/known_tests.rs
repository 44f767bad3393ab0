//! `[[ ... ]]` tests whose every operand the line fixes decide the branch
//! or loop they guard. A script run with known arguments (`./deploy.sh
//! --env staging --dry-run`) parses them as bash does: `while [[ $# -gt 0
//! ]]; do case "$1" in ...) shift ;; esac; done` runs its body once per
//! step until the arguments run out, and `if [[ " $* " == *" --agent "*
//! ]]` runs its `then` arm only when the flag was given. Anything not
//! fixed (a variable the line does not set, a command substitution, a
//! file test, a quoted pattern character) leaves the test undecided, and
//! the branch or loop is walked as any other: every arm may run. The
//! `[` and `test` builtins' string and integer comparisons are read the
//! same way, and so is a test before `&&` or `||`.
//!
//! An arm that surely runs and ends in `exit` (`if [[ "$DRY_RUN" != 0 ]];
//! then echo "would purge"; exit 0; fi`) ends the shell: nothing after it
//! runs, as nothing after `set -n` does.

use brush_parser::ast::{self, BinaryPredicate, ExtendedTestExpr, UnaryPredicate};

use super::{Analyzer, MAX_LOOP_VALUES, Scope, transform};
use crate::{Payload, flow};

/// One arm of an `if`: its condition (none for `else`) and its body.
type Arm<'a> = (Option<&'a ast::CompoundList>, &'a ast::CompoundList);

impl Analyzer<'_> {
    /// `if`/`elif`/`else`: arms whose condition is decided are taken or
    /// skipped; from the first undecided one on, any may run.
    pub(super) fn if_clause(
        &mut self,
        clause: &ast::IfClauseCommand,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        let arms: Vec<Arm<'_>> = std::iter::once((Some(&clause.condition), &clause.then))
            .chain(
                clause
                    .elses
                    .iter()
                    .flatten()
                    .map(|branch| (branch.condition.as_ref(), &branch.body)),
            )
            .collect();
        let mut stdout = Payload::default();
        let mut rest = arms.as_slice();
        while let Some(((condition, body), after)) = rest.split_first() {
            let Some(condition) = condition else {
                // `else` after conditions that all failed.
                let out = self.surely_run(body, scope, stdin);
                flow::merge(&mut stdout, &out);
                return stdout;
            };
            let out = self.compound_list(condition, scope, stdin);
            flow::merge(&mut stdout, &out);
            match self.decided(condition, scope) {
                Some(true) => {
                    let out = self.surely_run(body, scope, stdin);
                    flow::merge(&mut stdout, &out);
                    return stdout;
                }
                Some(false) => rest = after,
                None => break,
            }
        }
        // One arm runs, or none without `else`; the first one's condition
        // was walked above.
        let mut branches = self.open_branches(scope);
        let mut exhaustive = false;
        for (at, (condition, body)) in rest.iter().enumerate() {
            if at > 0 {
                branches.enter(scope);
                match condition {
                    Some(condition) => {
                        let out = self.compound_list(condition, scope, stdin);
                        flow::merge(&mut stdout, &out);
                    }
                    None => exhaustive = true,
                }
            }
            // Each arm as if it ran: when every one ends in `exit`, so
            // does the shell ([`Branches::close`]).
            let out = self.surely_run(body, scope, stdin);
            flow::merge(&mut stdout, &out);
            branches.leave(scope);
        }
        branches.close(scope, exhaustive);
        stdout
    }

    /// `while`/`until` loops whose condition is a decided `[[ ... ]]`: the
    /// body once per step while it holds (up to [`MAX_LOOP_VALUES`]). A
    /// condition undecided at the first step walks the body once, as any
    /// loop; one undecided later walks it once more and stops.
    pub(super) fn conditional_loop(
        &mut self,
        clause: &ast::WhileOrUntilClauseCommand,
        until: bool,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        let mut stdout = Payload::default();
        for _ in 0..MAX_LOOP_VALUES {
            let out = self.compound_list(&clause.0, scope, stdin);
            flow::merge(&mut stdout, &out);
            match self.decided(&clause.0, scope).map(|holds| holds != until) {
                Some(true) => {
                    let out = self.compound_list(&clause.1.list, scope, stdin);
                    flow::merge(&mut stdout, &out);
                }
                Some(false) => return stdout,
                None => break,
            }
        }
        let body = self.maybe_list(&clause.1.list, scope, stdin);
        flow::merge(&mut stdout, &body);
        stdout
    }

    /// A list that surely runs (the arm of a decided `if`): walked, and
    /// when it ends in `exit` the shell stops there.
    fn surely_run(
        &mut self,
        body: &ast::CompoundList,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        let out = self.compound_list(body, scope, stdin);
        if ends_in_exit(body) {
            scope.noexec = true;
        }
        out
    }

    /// Whether a condition that is one test (`[[ ... ]]`, `[ ... ]`,
    /// `test ...`, or one of them after `!`) holds, when every operand of
    /// it is fixed.
    pub(super) fn decided(&mut self, condition: &ast::CompoundList, scope: &Scope) -> Option<bool> {
        let [item] = condition.0.as_slice() else {
            return None;
        };
        let list = &item.0;
        if !list.additional.is_empty() {
            return None;
        }
        self.decided_pipeline(&list.first, scope)
    }

    /// Whether a pipeline that is one test (see [`Self::decided`]) holds.
    pub(super) fn decided_pipeline(
        &mut self,
        pipeline: &ast::Pipeline,
        scope: &Scope,
    ) -> Option<bool> {
        let holds = match pipeline.seq.as_slice() {
            [ast::Command::ExtendedTest(test, None)] => self.test_holds(&test.expr, scope)?,
            [ast::Command::Simple(simple)] => self.builtin_test_holds(simple, scope)?,
            _ => return None,
        };
        Some(holds != pipeline.bang)
    }

    /// Whether a `[ ... ]` or `test ...` command holds: its words fixed,
    /// no redirection or assignment, and a form [`builtin_holds`] reads.
    fn builtin_test_holds(&mut self, simple: &ast::SimpleCommand, scope: &Scope) -> Option<bool> {
        let name = simple.word_or_name.as_ref()?.value.as_str();
        if !matches!(name, "[" | "test") || simple.prefix.is_some() {
            return None;
        }
        let mut words = Vec::new();
        for item in simple.suffix.iter().flat_map(|suffix| suffix.0.iter()) {
            let ast::CommandPrefixOrSuffixItem::Word(word) = item else {
                return None;
            };
            if word.value.contains("$(") || word.value.contains('`') {
                return None;
            }
            self.push_words(&word.value, scope, &mut words);
        }
        if words.iter().any(|w| w.dynamic) {
            return None;
        }
        let mut texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        if name == "[" {
            // `[` needs its closing `]`.
            if texts.pop() != Some("]") {
                return None;
            }
        }
        builtin_holds(&texts)
    }

    /// Whether a `[[ ... ]]` expression holds; `None` when any operand is
    /// not fixed or the test is not one read here. Both sides of `&&` and
    /// `||` must be decided.
    fn test_holds(&mut self, expr: &ExtendedTestExpr, scope: &Scope) -> Option<bool> {
        match expr {
            ExtendedTestExpr::And(a, b) => {
                let (a, b) = (self.test_holds(a, scope)?, self.test_holds(b, scope)?);
                Some(a && b)
            }
            ExtendedTestExpr::Or(a, b) => {
                let (a, b) = (self.test_holds(a, scope)?, self.test_holds(b, scope)?);
                Some(a || b)
            }
            ExtendedTestExpr::Not(a) => self.test_holds(a, scope).map(|holds| !holds),
            ExtendedTestExpr::Parenthesized(a) => self.test_holds(a, scope),
            ExtendedTestExpr::UnaryTest(predicate, word) => {
                let value = self.known_operand(&word.value, scope)?;
                match predicate {
                    UnaryPredicate::StringHasZeroLength => Some(value.is_empty()),
                    UnaryPredicate::StringHasNonZeroLength => Some(!value.is_empty()),
                    _ => None,
                }
            }
            ExtendedTestExpr::BinaryTest(predicate, left, right) => {
                let left = self.known_operand(&left.value, scope)?;
                let right_raw = right.value.as_str();
                let right = self.known_operand(right_raw, scope)?;
                binary_holds(predicate, &left, &right, right_raw)
            }
        }
    }

    /// The value of a test operand the line fixes. A command substitution
    /// is not expanded again (its commands were walked with the test).
    fn known_operand(&mut self, raw: &str, scope: &Scope) -> Option<String> {
        if raw.contains("$(") || raw.contains('`') || raw.contains("<(") {
            return None;
        }
        let value = self.expand(raw, scope);
        (!value.dynamic).then_some(value.text)
    }
}

/// Whether `left OP right` holds, for the string, pattern and integer
/// comparisons; `None` for file tests, regular expressions, a pattern
/// with a quoted pattern character (whose quoting the expanded text no
/// longer shows) and operands that are not integers.
fn binary_holds(
    predicate: &BinaryPredicate,
    left: &str,
    right: &str,
    right_raw: &str,
) -> Option<bool> {
    use BinaryPredicate as P;
    let integers = || {
        Some((
            left.trim().parse::<i64>().ok()?,
            right.trim().parse::<i64>().ok()?,
        ))
    };
    match predicate {
        P::StringExactlyMatchesString => Some(left == right),
        P::StringDoesNotExactlyMatchString => Some(left != right),
        P::StringExactlyMatchesPattern | P::StringDoesNotExactlyMatchPattern => {
            if quotes_pattern_character(right_raw) {
                return None;
            }
            let matches = transform::pattern_matches(right, left)?;
            Some(matches == matches!(predicate, P::StringExactlyMatchesPattern))
        }
        P::ArithmeticEqualTo => integers().map(|(a, b)| a == b),
        P::ArithmeticNotEqualTo => integers().map(|(a, b)| a != b),
        P::ArithmeticLessThan => integers().map(|(a, b)| a < b),
        P::ArithmeticLessThanOrEqualTo => integers().map(|(a, b)| a <= b),
        P::ArithmeticGreaterThan => integers().map(|(a, b)| a > b),
        P::ArithmeticGreaterThanOrEqualTo => integers().map(|(a, b)| a >= b),
        _ => None,
    }
}

/// Whether the words of `test` (or `[` without its `]`) hold, for the
/// forms of one, two and three words and `!` before them: a string's
/// length (`-n S`, `-z S`, `S`), string equality (`=`, `==`, `!=`) and
/// integer comparisons (`-eq`, `-ne`, `-lt`, `-le`, `-gt`, `-ge`). File
/// tests and anything longer are not read.
fn builtin_holds(words: &[&str]) -> Option<bool> {
    match words {
        ["!", rest @ ..] if !rest.is_empty() => builtin_holds(rest).map(|holds| !holds),
        [] => Some(false),
        [one] => Some(!one.is_empty()),
        ["-n", s] => Some(!s.is_empty()),
        ["-z", s] => Some(s.is_empty()),
        [left, operator, right] => {
            use BinaryPredicate as P;
            let predicate = match *operator {
                "=" | "==" => P::StringExactlyMatchesString,
                "!=" => P::StringDoesNotExactlyMatchString,
                "-eq" => P::ArithmeticEqualTo,
                "-ne" => P::ArithmeticNotEqualTo,
                "-lt" => P::ArithmeticLessThan,
                "-le" => P::ArithmeticLessThanOrEqualTo,
                "-gt" => P::ArithmeticGreaterThan,
                "-ge" => P::ArithmeticGreaterThanOrEqualTo,
                _ => return None,
            };
            binary_holds(&predicate, left, right, right)
        }
        _ => None,
    }
}

/// True when a list's last command is `exit` (on its own, not after `&&`
/// or `||`, possibly inside `{ ...; }`): once the list runs, the shell
/// ends.
fn ends_in_exit(list: &ast::CompoundList) -> bool {
    list.0.last().is_some_and(|last| {
        let and_or = &last.0;
        and_or.additional.is_empty() && ends_with_exit(&and_or.first)
    })
}

/// True when a pipeline is one `exit` command, or `{ ...; }` whose list
/// ends in one ([`ends_in_exit`]), redirected or not (`|| { echo usage;
/// exit 64; } >&2`).
pub(super) fn ends_with_exit(pipeline: &ast::Pipeline) -> bool {
    if pipeline.bang {
        return false;
    }
    match pipeline.seq.as_slice() {
        [ast::Command::Simple(simple)] => simple
            .word_or_name
            .as_ref()
            .is_some_and(|name| name.value == "exit"),
        [ast::Command::Compound(ast::CompoundCommand::BraceGroup(group), _)] => {
            ends_in_exit(&group.list)
        }
        _ => false,
    }
}

/// Whether a pattern word quotes `*`, `?`, `[` or a backslash (`*"*"*`
/// matches a literal star): the expanded text would read it as a pattern.
fn quotes_pattern_character(raw: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in raw.chars() {
        if escaped {
            escaped = false;
            if matches!(c, '*' | '?' | '[') {
                return true;
            }
            continue;
        }
        match (quote, c) {
            (_, '\\') if quote != Some('\'') => escaped = true,
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (Some(_), '*' | '?' | '[' | '\\') => return true,
            _ => {}
        }
    }
    false
}
