//! A command substitution that calls a function the line defined prints
//! what the function prints: `psql -h "$(db_host production)"` after
//! `db_host() { case "${1:-staging}" in prod|production) echo
//! warehouse.prod.example ;; *) echo "warehouse.${1}.example" ;; esac; }`
//! connects to the host the `prod|production` arm prints. The call is
//! walked with its arguments, so a test or `case` they decide takes its
//! arm, and the text printed is the substitution's, as a `$(printf ...)`'s
//! is, when the function does nothing but print: printing programs, tests,
//! assignments, `local`, `return`, calls of such functions, and `if`,
//! `case` and `{ ...; }` made of those, without a command substitution.
//! A path the walk could not decide (an arm that may or may not run)
//! leaves the text unknown.

use brush_parser::ast;

use super::{Analyzer, is_printing_command, is_printing_list, is_printing_program};

/// How deep calls of printing functions from printing functions are read.
const MAX_CALL_NESTING: usize = 4;

/// Builtins a printing function may run besides printing: they change
/// only the shell's own state (a test's status, a variable, the call's end).
const QUIET_BUILTINS: &[&str] = &["return", "local", "[", "test", "true", ":"];

impl Analyzer<'_> {
    /// Cheap test before parsing a substitution: it starts with a printing
    /// program or a function the line defined.
    pub(super) fn may_print_known_text(&self, inner: &str) -> bool {
        let first = inner.split_whitespace().next().unwrap_or_default();
        is_printing_program(first) || self.functions.contains_key(first)
    }

    /// Whether a substitution's commands only print: one pipeline of
    /// printing programs ([`is_printing_list`]) or one call of a printing
    /// function ([`Self::is_printing_call`]).
    pub(super) fn is_printing_substitution(&self, list: &ast::CompoundList) -> bool {
        is_printing_list(list) || self.is_printing_call(list)
    }

    /// Whether `list` is one call, given words only, of a function the
    /// line defined whose body only prints.
    pub(super) fn is_printing_call(&self, list: &ast::CompoundList) -> bool {
        let [ast::CompoundListItem(and_or, _)] = list.0.as_slice() else {
            return false;
        };
        let [ast::Command::Simple(simple)] = and_or.first.seq.as_slice() else {
            return false;
        };
        and_or.additional.is_empty() && !and_or.first.bang && self.call_prints_only(simple, 0)
    }

    /// A call, words only, of a function whose body only prints.
    fn call_prints_only(&self, simple: &ast::SimpleCommand, nesting: usize) -> bool {
        let Some(name) = simple.word_or_name.as_ref() else {
            return false;
        };
        let words_only = simple
            .suffix
            .iter()
            .flat_map(|suffix| suffix.0.iter())
            .all(|item| matches!(item, ast::CommandPrefixOrSuffixItem::Word(_)));
        nesting < MAX_CALL_NESTING
            && simple.prefix.is_none()
            && words_only
            && self.functions.get(&name.value).is_some_and(|body| {
                let ast::FunctionBody(compound, redirects) = body;
                redirects.is_none()
                    && !has_substitution(&compound.to_string())
                    && self.compound_prints_only(compound, nesting + 1)
            })
    }

    fn compound_prints_only(&self, compound: &ast::CompoundCommand, nesting: usize) -> bool {
        use ast::CompoundCommand as C;
        match compound {
            C::BraceGroup(group) => self.list_prints_only(&group.list, nesting),
            C::Subshell(sub) => self.list_prints_only(&sub.list, nesting),
            C::CaseClause(clause) => clause
                .cases
                .iter()
                .filter_map(|case| case.cmd.as_ref())
                .all(|body| self.list_prints_only(body, nesting)),
            C::IfClause(clause) => {
                self.list_prints_only(&clause.condition, nesting)
                    && self.list_prints_only(&clause.then, nesting)
                    && clause.elses.iter().flatten().all(|branch| {
                        branch
                            .condition
                            .as_ref()
                            .is_none_or(|condition| self.list_prints_only(condition, nesting))
                            && self.list_prints_only(&branch.body, nesting)
                    })
            }
            _ => false,
        }
    }

    fn list_prints_only(&self, list: &ast::CompoundList, nesting: usize) -> bool {
        list.0.iter().all(|ast::CompoundListItem(and_or, _)| {
            std::iter::once(&and_or.first)
                .chain(and_or.additional.iter().map(|next| match next {
                    ast::AndOr::And(pipeline) | ast::AndOr::Or(pipeline) => pipeline,
                }))
                .flat_map(|pipeline| pipeline.seq.iter())
                .all(|command| self.command_prints_only(command, nesting))
        })
    }

    fn command_prints_only(&self, command: &ast::Command, nesting: usize) -> bool {
        match command {
            ast::Command::Simple(simple) => {
                is_printing_command(simple)
                    || is_quiet_builtin(simple)
                    || is_assignment_only(simple)
                    || self.call_prints_only(simple, nesting)
            }
            ast::Command::ExtendedTest(..) => true,
            ast::Command::Compound(compound, None) => self.compound_prints_only(compound, nesting),
            ast::Command::Compound(_, Some(_)) | ast::Command::Function(_) => false,
        }
    }
}

/// `return 1`, `local env=$1`, `[ -n "$1" ]`: a builtin of
/// [`QUIET_BUILTINS`] given words (and, for `local`, assignments) only.
fn is_quiet_builtin(simple: &ast::SimpleCommand) -> bool {
    let named = simple
        .word_or_name
        .as_ref()
        .is_some_and(|name| QUIET_BUILTINS.contains(&name.value.as_str()));
    let plain = simple
        .suffix
        .iter()
        .flat_map(|suffix| suffix.0.iter())
        .all(|item| {
            matches!(
                item,
                ast::CommandPrefixOrSuffixItem::Word(_)
                    | ast::CommandPrefixOrSuffixItem::AssignmentWord(..)
            )
        });
    named && simple.prefix.is_none() && plain
}

/// `env=${1:-staging}`: assignments and nothing else.
fn is_assignment_only(simple: &ast::SimpleCommand) -> bool {
    simple.word_or_name.is_none()
        && simple.suffix.is_none()
        && simple
            .prefix
            .iter()
            .flat_map(|prefix| prefix.0.iter())
            .all(|item| matches!(item, ast::CommandPrefixOrSuffixItem::AssignmentWord(..)))
}

/// Whether shell text has a command or process substitution (`$(...)`,
/// backquotes, `<(...)`), whose commands a printing function must not run.
fn has_substitution(text: &str) -> bool {
    text.contains("$(") || text.contains(['`']) || text.contains("<(") || text.contains(">(")
}
