//! Values a variable may have after code that may not run: the arms of an
//! `if` or a `case` whose arm is unknown, the pipelines after `&&` and
//! `||`, and a loop body run an unknown number of times. Each such path is
//! walked from the variables as they were before it; after them, a
//! variable some path changed keeps every value it may have (its value
//! before, unless one of the paths always runs, and each path's), a few at
//! most ([`MAX_BRANCH_VALUES`]). A command whose name is such a variable
//! (`DRY=; [ "$1" = -n ] && DRY=echo; $DRY aws s3 rm ...`) is walked once
//! per value: an empty one leaves the next word as the command.
//!
//! A path that ends the shell (`exit` after a decided test) or the
//! function call (`return`) ends it only for itself: after the paths, the
//! shell goes on unless every one of them, one of which always runs, ended
//! it; when each ended the shell or the call, the call is over. A test the line decides
//! before `&&` or `||` (`[[ $# -gt 0 ]] || usage`) decides whether the
//! pipeline after it runs.

use std::collections::HashMap;

use brush_parser::ast;
use brush_parser::word::{self, WordPiece, WordPieceWithSource};

use super::{Analyzer, Scope, Var, is_plain_word, known_tests, parameter_name};
use crate::Payload;
use crate::flow;

/// How many values a variable may keep from branches; beyond that it keeps
/// only the last one assigned, as a variable assigned in sequence does.
const MAX_BRANCH_VALUES: usize = 4;

/// How many variables with several values a command's name may join
/// (`$A$B`) and still be walked once per combination.
const MAX_NAME_VARIABLES: usize = 2;

/// Paths that may or may not run, each walked from the same variables.
pub(super) struct Branches {
    before: HashMap<String, Var>,
    ends: Vec<HashMap<String, Var>>,
    /// How the walk had ended before the paths.
    ended_before: Ended,
    /// How each path ended, in order.
    ended: Vec<Ended>,
}

/// Whether the shell ended ([`Scope::noexec`]: `exit`, `set -n`) and
/// whether the function call being walked did ([`Scope::returned`]).
#[derive(Debug, Clone, Copy)]
struct Ended {
    shell: bool,
    call: bool,
}

impl Ended {
    fn of(scope: &Scope) -> Self {
        Self {
            shell: scope.noexec,
            call: scope.returned,
        }
    }

    fn restore(self, scope: &mut Scope) {
        scope.noexec = self.shell;
        scope.returned = self.call;
    }
}

impl Branches {
    /// Before the first path: the variables each path starts from.
    fn open(scope: &Scope) -> Self {
        Self {
            before: scope.vars.clone(),
            ends: Vec::new(),
            ended_before: Ended::of(scope),
            ended: Vec::new(),
        }
    }

    /// Before a path other than the first: its variables as they were.
    pub(super) fn enter(&self, scope: &mut Scope) {
        if !self.ends.is_empty() {
            scope.vars = self.before.clone();
        }
        self.ended_before.restore(scope);
    }

    /// After a path: the variables it leaves, and whether it ended the
    /// shell or the function call.
    pub(super) fn leave(&mut self, scope: &mut Scope) {
        self.ends.push(std::mem::take(&mut scope.vars));
        self.ended.push(Ended::of(scope));
        self.ended_before.restore(scope);
    }

    /// After the last path: each variable with the values it may have.
    /// `exhaustive` when one of the paths always runs (an `else`, a `*)`
    /// arm), so the value before is not one of them; the shell has ended
    /// when it had before or when every path, one of which runs, ended it,
    /// and the function call when every such path ended it or the shell.
    pub(super) fn close(self, scope: &mut Scope, exhaustive: bool) {
        scope.vars = merged(&self.before, &self.ends, exhaustive);
        let every = |ended: fn(&Ended) -> bool| {
            exhaustive && !self.ended.is_empty() && self.ended.iter().all(ended)
        };
        let shell = every(|e| e.shell);
        let call = !shell && every(|e| e.shell || e.call);
        scope.noexec = self.ended_before.shell || shell;
        scope.returned = self.ended_before.call || call;
    }

    /// After a `case` arm that ends in `;&`: the next arm runs after it or
    /// on its own, so from either's variables.
    pub(super) fn fall_through(&self, scope: &mut Scope) {
        let end = std::mem::take(&mut scope.vars);
        scope.vars = merged(&self.before, &[end], false);
    }
}

/// Each variable with the values it may have after one of the paths that
/// ended in `ends` (or none of them, unless `exhaustive`).
fn merged(
    before: &HashMap<String, Var>,
    ends: &[HashMap<String, Var>],
    exhaustive: bool,
) -> HashMap<String, Var> {
    let mut names: Vec<&String> = before.keys().collect();
    for end in ends {
        names.extend(end.keys());
    }
    names.sort();
    names.dedup();
    let mut paths: Vec<&HashMap<String, Var>> = Vec::with_capacity(ends.len() + 1);
    if !exhaustive || ends.is_empty() {
        paths.push(before);
    }
    paths.extend(ends.iter());
    let mut vars = HashMap::with_capacity(names.len());
    for name in names {
        let old = before.get(name);
        // The last value assigned, as a walk of the paths in sequence
        // leaves it.
        let mut last = old;
        for end in ends {
            let new = end.get(name);
            if !same_state(new, old) {
                last = new;
            }
        }
        let Some(last) = last else {
            continue;
        };
        let mut choices: Vec<Option<Var>> = Vec::new();
        for path in &paths {
            for choice in values(path.get(name)) {
                if !choices
                    .iter()
                    .any(|c| same_value(c.as_ref(), choice.as_ref()))
                {
                    choices.push(choice);
                }
            }
        }
        let mut var = last.clone();
        var.choices = if (2..=MAX_BRANCH_VALUES).contains(&choices.len()) {
            choices
        } else {
            Vec::new()
        };
        vars.insert(name.clone(), var);
    }
    vars
}

/// The values a variable in this state may have, each without choices.
fn values(var: Option<&Var>) -> Vec<Option<Var>> {
    match var {
        None => vec![None],
        Some(var) if var.choices.is_empty() => vec![Some(var.clone())],
        Some(var) => var.choices.clone(),
    }
}

/// The same value: text, expansions and elements.
fn same_value(a: Option<&Var>, b: Option<&Var>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.value == b.value
                && a.nameref == b.nameref
                && match (&a.array, &b.array) {
                    (None, None) => true,
                    (Some(x), Some(y)) => x.elements == y.elements && x.keys == y.keys,
                    _ => false,
                }
        }
        _ => false,
    }
}

/// The same value and the same values it may have.
fn same_state(a: Option<&Var>, b: Option<&Var>) -> bool {
    same_value(a, b)
        && match (a, b) {
            (Some(a), Some(b)) => {
                a.choices.len() == b.choices.len()
                    && a.choices
                        .iter()
                        .zip(&b.choices)
                        .all(|(x, y)| same_value(x.as_ref(), y.as_ref()))
            }
            _ => true,
        }
}

/// The parameters a word reads by name, in order.
fn named_parameters(pieces: &[WordPieceWithSource], names: &mut Vec<String>) {
    for piece in pieces {
        match &piece.piece {
            WordPiece::ParameterExpansion(expr) => {
                if let Some(name) = parameter_name(expr) {
                    names.push(name.to_owned());
                }
            }
            WordPiece::DoubleQuotedSequence(inner)
            | WordPiece::GettextDoubleQuotedSequence(inner) => named_parameters(inner, names),
            _ => {}
        }
    }
}

impl Analyzer<'_> {
    /// [`Branches::open`], counted ([`Analyzer::undecided_paths`]).
    pub(super) fn open_branches(&mut self, scope: &Scope) -> Branches {
        self.undecided_paths += 1;
        Branches::open(scope)
    }

    /// Walks the pipelines after the first of `a && b || c`, each of which
    /// may not run, keeping the values they may assign. While the status
    /// so far is known (a decided test, [`Self::decided_pipeline`]), a
    /// pipeline it rules out is skipped and one it calls for surely runs.
    pub(super) fn and_or(
        &mut self,
        list: &ast::AndOrList,
        scope: &mut Scope,
        stdin: Option<&Payload>,
        stdout: &mut Payload,
    ) {
        let out = self.pipeline(&list.first, scope, stdin);
        flow::merge(stdout, &out);
        let mut status = if list.additional.is_empty() {
            None
        } else {
            self.decided_pipeline(&list.first, scope)
        };
        for next in &list.additional {
            let (runs_after, pipeline) = match next {
                ast::AndOr::And(pipeline) => (true, pipeline),
                ast::AndOr::Or(pipeline) => (false, pipeline),
            };
            match status {
                // `false && b`, `true || b`: b does not run, and the
                // status stays.
                Some(succeeded) if succeeded != runs_after => continue,
                Some(_) => {
                    let out = self.pipeline(pipeline, scope, stdin);
                    flow::merge(stdout, &out);
                    if known_tests::ends_with_exit(pipeline) {
                        scope.noexec = true;
                    }
                    status = self.decided_pipeline(pipeline, scope);
                }
                None => {
                    let mut branches = self.open_branches(scope);
                    let out = self.pipeline(pipeline, scope, stdin);
                    flow::merge(stdout, &out);
                    branches.leave(scope);
                    branches.close(scope, false);
                }
            }
        }
    }

    /// A compound list that may not run (a loop's body), walked once.
    pub(super) fn maybe_list(
        &mut self,
        list: &ast::CompoundList,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        let mut branches = self.open_branches(scope);
        let out = self.compound_list(list, scope, stdin);
        branches.leave(scope);
        branches.close(scope, false);
        out
    }

    /// A simple command whose name reads a variable with several values
    /// ([`Var::choices`]): walked once per value, the variable fixed to it.
    /// `None` when its name reads none (or too many to combine).
    pub(super) fn simple_per_value(
        &mut self,
        simple: &ast::SimpleCommand,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Option<Payload> {
        let raw = simple.word_or_name.as_ref()?.value.as_str();
        if is_plain_word(raw) || !scope.vars.values().any(|v| !v.choices.is_empty()) {
            return None;
        }
        let pieces = word::parse(raw, &self.options).ok()?;
        let mut names = Vec::new();
        named_parameters(&pieces, &mut names);
        names.sort();
        names.dedup();
        let several: Vec<&String> = names
            .iter()
            .filter(|n| scope.vars.get(*n).is_some_and(|v| !v.choices.is_empty()))
            .collect();
        if several.len() > MAX_NAME_VARIABLES {
            return None;
        }
        let name = several.first()?.as_str();
        let original = scope.vars.get(name)?.clone();
        let mut stdout = Payload::default();
        let mut after = None;
        for choice in &original.choices {
            let mut pinned = scope.clone();
            match choice {
                Some(var) => {
                    pinned.vars.insert(name.to_owned(), var.clone());
                }
                None => {
                    pinned.vars.remove(name);
                }
            }
            let out = self.simple(simple, &mut pinned, stdin);
            flow::merge(&mut stdout, &out);
            // The variable keeps its values unless the command set it.
            if same_value(pinned.vars.get(name), choice.as_ref()) {
                pinned.vars.insert(name.to_owned(), original.clone());
            }
            after = Some(pinned);
        }
        if let Some(after) = after {
            *scope = after;
        }
        Some(stdout)
    }
}
