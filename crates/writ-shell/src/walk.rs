//! The bash AST walk: lists, pipelines, compound commands, redirections,
//! word expansion, working directory and provenance tracking.

use std::collections::HashMap;

use brush_parser::ast;
use brush_parser::word::{
    self, Parameter, ParameterExpr, TildeExpr, WordPiece, WordPieceWithSource,
};
use brush_parser::{Parser, ParserOptions};

mod alternative;
mod arith;
mod branch_values;
mod command_glob;
mod copied_program;
mod coproc;
pub(crate) mod drives;
mod hidden;
mod jq_input;
mod known_tests;
mod mapfile;
mod nesting;
mod printed_file;
mod printing_calls;
mod read;
mod slices;
mod transform;

pub(crate) use drives::mapping as drive_mapping;
pub(crate) use hidden::is_environment_setup;

use crate::args::Arg;
use crate::commands::{self, Invocation, Nested, Outcome};
use crate::flow;
use crate::paths;
use crate::{Analysis, Effect, Payload, ShellError, WrittenFile};

/// How deep substitutions, `sh -c` strings and function calls may nest.
const MAX_DEPTH: usize = 16;
/// How many values of a `for` loop are walked one by one.
const MAX_LOOP_VALUES: usize = 16;

/// A shell variable assigned earlier in the command line.
#[derive(Debug, Clone)]
struct Var {
    /// The value's text when it is fully known.
    literal: Option<String>,
    /// The value as an expanded word (its env references and provenance).
    value: Arg,
    /// In the environment of the commands that follow (`export`).
    exported: bool,
    /// The elements of an array (`a=(x y)`, `declare -A m=([k]=v)`).
    array: Option<Array>,
    /// A name reference (`declare -n r=NAME`, `local -n r=$1`): `$r` is
    /// the variable its value names.
    nameref: bool,
    /// The values it may have after a branch or loop body that may not
    /// run (`None`: unset), when more than one ([`branch_values`]); the
    /// fields above hold the last one assigned.
    choices: Vec<Option<Var>>,
}

/// An array's elements, each one word of `"${a[@]}"`, and the key of each
/// when the assignment gave keys (`([stg]=a [prd]=b)`, `([3]=x)`);
/// without keys, element N has index N.
#[derive(Debug, Clone, Default)]
struct Array {
    elements: Vec<Arg>,
    keys: Option<Vec<String>>,
}

impl Array {
    /// The element at `key`: a key the assignment gave, else an index.
    fn get(&self, key: &str) -> Option<&Arg> {
        match &self.keys {
            Some(keys) => keys
                .iter()
                .position(|k| k == key)
                .and_then(|at| self.elements.get(at)),
            None => key.parse::<usize>().ok().and_then(|i| self.elements.get(i)),
        }
    }

    /// Its keys, as `"${!a[@]}"` gives them.
    fn key_words(&self) -> Vec<String> {
        match &self.keys {
            Some(keys) => keys.clone(),
            None => (0..self.elements.len()).map(|i| i.to_string()).collect(),
        }
    }

    /// `a[key]=value`: that element replaced, or added at the end.
    fn set(&mut self, key: &str, value: Arg) {
        if let Some(at) = match &self.keys {
            Some(keys) => keys.iter().position(|k| k == key),
            None => key
                .parse::<usize>()
                .ok()
                .filter(|i| *i < self.elements.len()),
        } {
            self.elements[at] = value;
            return;
        }
        let mut keys = self.key_words();
        keys.push(key.to_owned());
        self.keys = Some(keys);
        self.elements.push(value);
    }

    /// The elements joined by spaces, as `"${a[*]}"` reads them.
    fn joined(&self) -> Arg {
        let mut joined = Arg::default();
        for part in &self.elements {
            if !joined.text.is_empty() {
                joined.text.push(' ');
            }
            joined.text.push_str(&part.text);
            absorb(&mut joined, part);
        }
        joined
    }
}

/// A `NAME=value` or `NAME=(...)` assignment of a simple command: the
/// name, the value as one word, and an array's elements.
type Assigned = (String, Arg, Option<Array>);

/// Programs that print the text they read as it is, so quoted text stays
/// as written ([`Payload::quoted`]) through them.
const PRINTS_AS_READ: &[&str] = &["cat", "tee", "head", "tail", "dd", "pv", "buffer"];

/// Shell state that a subshell copies and does not give back.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    cwd: String,
    oldpwd: Option<String>,
    dirstack: Vec<String>,
    vars: HashMap<String, Var>,
    /// `$1`, `$2`, ... inside a function call.
    positional: Vec<Arg>,
    /// Every positional parameter is known, and so is how many there are
    /// (`$#`, an empty `"$@"`): a script or function given only words the
    /// line fixes, or `set --` with such words.
    positional_known: bool,
    /// `$0` of shell text run with arguments (`sh -c '...' ARG0`).
    zeroth: Option<Arg>,
    /// Descriptors above 2 that `exec N>PATH` (`N<PATH`, `N<>PATH`) opened
    /// for the rest of the script, with the path each one is.
    descriptors: Vec<(ast::IoFd, String)>,
    /// The commands `trap` set to run on exit or a signal, by signal.
    traps: Vec<(String, String)>,
    /// Drives mapped on the line (`net use Z: \\\\host\\share`,
    /// `New-PSDrive -Name X -Root ...`, `subst`), by name, with their root.
    drives: Vec<(String, String)>,
    /// `set -n` (`set -o noexec`) ran: the shell reads the rest of its
    /// script without running any of it; or an `exit` that surely ran
    /// ended it ([`known_tests`]).
    noexec: bool,
    /// A `return` that surely ran ended the function call being walked:
    /// the rest of its body does not run ([`Analyzer::call_function`]
    /// clears it once the call is over).
    returned: bool,
    /// `set -a` (`set -o allexport`) is on: every variable assigned is
    /// exported (`set -a; . prod.env; set +a` exports the file's lines).
    allexport: bool,
}

impl Scope {
    pub(crate) fn new(cwd: &str) -> Self {
        Self {
            cwd: paths::normalize(cwd),
            oldpwd: None,
            dirstack: Vec::new(),
            vars: HashMap::new(),
            positional: Vec::new(),
            positional_known: false,
            zeroth: None,
            descriptors: Vec::new(),
            traps: Vec::new(),
            drives: Vec::new(),
            noexec: false,
            returned: false,
            allexport: false,
        }
    }
}

/// Redirections of one command, gathered before it runs.
#[derive(Debug, Default)]
struct Redirects {
    stdin: Option<Payload>,
    /// Standard input is `/dev/null`.
    stdin_empty: bool,
    writes: Vec<PendingWrite>,
    /// Descriptors above 2 its redirections open (`3>PATH`, `4>&3`) or
    /// close (`3>&-`, as `None`), in order.
    descriptors: Vec<(ast::IoFd, Option<String>)>,
    /// Its output process substitutions, run once it has written.
    sinks: Vec<ProcessSink>,
    /// The files of its input process substitutions, whose contents are
    /// known only while it runs.
    process_files: Vec<String>,
}

impl Redirects {
    fn with_stdin(stdin: Option<&Payload>) -> Self {
        Self {
            stdin: stdin.cloned(),
            ..Self::default()
        }
    }
}

/// An output process substitution `>(cmd)`: `cmd` reads, as its standard
/// input, what the command writes into the file `path` names.
#[derive(Debug)]
struct ProcessSink {
    path: String,
    list: ast::CompoundList,
    scope: Scope,
    /// Given as a file argument: when no write into it is known, `cmd`
    /// reads what the command outputs (`tee >(cmd)` writes its input there).
    argument: bool,
}

#[derive(Debug)]
struct PendingWrite {
    path: String,
    append: bool,
    /// The command's standard output goes to this file.
    captures_stdout: bool,
}

/// Walks a parsed command line and collects its [`Analysis`].
pub(crate) struct Analyzer<'c> {
    home: &'c str,
    /// The deployment's workspace ([`crate::ShellContext::workspace`]),
    /// absolute and normalised: the repository `git rev-parse
    /// --show-toplevel` names when run in it or below it.
    workspace: Option<&'c str>,
    options: ParserOptions,
    out: Analysis,
    /// What files written earlier in the command line contain.
    contents: HashMap<String, Payload>,
    /// The parts of files earlier steps showed ([`WrittenFile::partial`]):
    /// where a task runner may find its target, never a file's whole text.
    views: HashMap<String, String>,
    functions: HashMap<String, ast::FunctionBody>,
    depth: usize,
    /// How many times so far the walk met paths that may or may not run
    /// ([`Analyzer::open_branches`]): a function whose output depends on
    /// one prints text that is not sure ([`printing_calls`]).
    undecided_paths: usize,
    /// How many function calls are being walked, one inside another: a
    /// `return` ends the innermost ([`Scope::returned`]).
    function_calls: usize,
    /// How deep the texts being walked nest, summed ([`nesting`]).
    nesting: usize,
    /// How many commands so far ran with a word whose value is unknown:
    /// a substitution that ran none prints text known from the line.
    dynamic_commands: usize,
    /// How many shell texts being walked were made with values the walk
    /// does not know (`sh -c "$X"`): a command named by such a value there
    /// is hidden shell text ([`hidden`]).
    spliced: usize,
    /// Set by a command with a word whose value is unknown until its
    /// nested work runs ([`Self::apply`]).
    splicing: bool,
    /// Aliases the line defines (`alias gpf='git push --force'`).
    aliases: HashMap<String, String>,
    /// What the container images built on the line carry, by reference.
    images: HashMap<String, Payload>,
    /// Aliases being expanded, which do not expand again inside themselves.
    expanding: Vec<String>,
    /// How many process substitutions have been given a file so far.
    process_substitutions: usize,
    /// Local servers started on the line: port and what it serves.
    served: Vec<(u16, Payload)>,
    /// Requests that carry a local port's service out (tunnels): the
    /// effect's index and the port.
    published: Vec<(usize, u16)>,
    /// Coprocesses the line started (`coproc NAME { ...; }`).
    coprocesses: Vec<coproc::Coprocess>,
    /// What the line put into the clipboard's selections (`xclip -i`,
    /// `wl-copy`, `pbcopy`): the desktop's, so a subshell's copy stays, and
    /// a later paste prints it. Not a file: a copy writes none.
    clipboard: commands::Selections,
}

/// Parses `text` as a bash program nested at most `limit` deep
/// ([`nesting`]): the program and how deep it nests.
pub(crate) fn parse_program(
    text: &str,
    options: &ParserOptions,
    limit: usize,
) -> Result<(ast::Program, usize), ShellError> {
    let too_deep = || ShellError::Syntax(format!("text nested more than {limit} levels deep"));
    let brackets = nesting::brackets(text, limit).ok_or_else(too_deep)?;
    // The tokens are the same as `Parser::parse_program` makes. Not
    // brush-parser's token cache: `analyze` remembers whole analyses, and
    // filling that cache (copying text and tokens) cost a new line ~10k
    // instructions.
    match brush_parser::uncached_tokenize_str(text, &options.tokenizer_options()) {
        Ok(tokens) => {
            let depth = brackets + nesting::compounds(&tokens);
            if depth > limit {
                return Err(too_deep());
            }
            brush_parser::parse_tokens(&tokens, options)
                .map(|program| (program, depth))
                .map_err(|error| ShellError::Syntax(error.to_string()))
        }
        // The parser's own path, for the error with its position.
        Err(_) => Parser::new(std::io::BufReader::new(text.as_bytes()), options)
            .parse_program()
            .map(|program| (program, brackets))
            .map_err(|error| ShellError::Syntax(error.to_string())),
    }
}

/// Parses a whole command line ([`nesting::MAX_NESTING`] deep at most).
pub(crate) fn parse_line(
    text: &str,
    options: &ParserOptions,
) -> Result<(ast::Program, usize), ShellError> {
    parse_program(text, options, nesting::MAX_NESTING)
}

/// A word without quotes, expansions, escapes or tildes: brush-parser
/// reads it as one literal text piece whatever the options.
fn is_plain_word(raw: &str) -> bool {
    !raw.contains(['\'', '"', '$', '`', '\\', '~'])
}

/// The text of a word that is one quoted literal: `'...'` without another
/// `'`, or `"..."` without `"`, `$`, `` ` `` or `\` inside.
fn quoted_literal(raw: &str) -> Option<&str> {
    if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\''))
        && !inner.contains('\'')
    {
        return Some(inner);
    }
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains(['"', '$', '`', '\\'])).then_some(inner)
}

impl<'c> Analyzer<'c> {
    /// An analyser for a line nested `nesting` deep ([`parse_line`]).
    pub(crate) fn new(home: &'c str, nesting: usize) -> Self {
        Self {
            nesting,
            home,
            workspace: None,
            options: ParserOptions::default(),
            out: Analysis::default(),
            contents: HashMap::new(),
            views: HashMap::new(),
            functions: HashMap::new(),
            depth: 0,
            function_calls: 0,
            undecided_paths: 0,
            dynamic_commands: 0,
            spliced: 0,
            splicing: false,
            aliases: HashMap::new(),
            images: HashMap::new(),
            expanding: Vec::new(),
            process_substitutions: 0,
            served: Vec::new(),
            published: Vec::new(),
            coprocesses: Vec::new(),
            clipboard: commands::Selections::default(),
        }
    }

    /// What files earlier steps wrote hold, as if written earlier on the line.
    pub(crate) fn remember(&mut self, written: &[WrittenFile]) {
        for file in written {
            if file.partial {
                if !file.holds.text.is_empty() && !self.contents.contains_key(&file.path) {
                    self.views
                        .insert(file.path.clone(), file.holds.text.join("\n"));
                }
                continue;
            }
            self.views.remove(&file.path);
            if file.holds.is_empty() {
                self.contents.remove(&file.path);
            } else {
                self.contents.insert(file.path.clone(), file.holds.clone());
            }
        }
    }

    pub(crate) fn finish(mut self) -> Analysis {
        self.out.written = self.written();
        self.out
    }

    /// The files the line writes or deletes, each once (the last time),
    /// with what it leaves in them.
    fn written(&self) -> Vec<WrittenFile> {
        let mut written: Vec<WrittenFile> = Vec::new();
        for effect in &self.out.effects {
            let (path, holds) = match effect {
                Effect::Write { path, .. } => (path, self.contents.get(path)),
                Effect::Delete { path, .. } => (path, None),
                _ => continue,
            };
            if paths::is_special_device(path) {
                continue;
            }
            written.retain(|w| w.path != *path);
            written.push(match holds {
                Some(holds) => WrittenFile::new(path.clone(), holds.clone()),
                None => WrittenFile::unknown(path.clone()),
            });
        }
        written
    }

    /// Walks a whole program.
    pub(crate) fn program(
        &mut self,
        program: &ast::Program,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        let mut stdout = Payload::default();
        // A shell's traps are its own: its parent's do not run at its exit.
        let inherited = std::mem::take(&mut scope.traps);
        let first_coprocess = self.coprocesses.len();
        for list in &program.complete_commands {
            let out = self.compound_list(list, scope, stdin);
            flow::merge(&mut stdout, &out);
        }
        self.finish_coprocesses(first_coprocess);
        // What `trap` set runs when the shell exits (or gets the signal),
        // after the rest of the program.
        let mut ran: Vec<String> = Vec::new();
        let traps = std::mem::replace(&mut scope.traps, inherited);
        // They run after an `exit` too ([`Scope::noexec`] it set).
        let ended = std::mem::replace(&mut scope.noexec, false);
        for (_, action) in traps {
            if !ran.contains(&action) {
                let out = self.script(&action, scope, None, "trap");
                flow::merge(&mut stdout, &out);
                ran.push(action);
            }
        }
        scope.noexec = ended;
        stdout
    }

    /// Parses and walks nested script text (`sh -c`, `$(...)`) in a subshell.
    fn script(
        &mut self,
        text: &str,
        scope: &Scope,
        stdin: Option<&Payload>,
        what: &str,
    ) -> Payload {
        let mut sub = scope.clone();
        self.script_in_place(text, &mut sub, stdin, what)
    }

    /// Parses shell text met inside what is being walked, within what is
    /// left of [`nesting::MAX_TOTAL_NESTING`].
    fn parse_nested(&self, text: &str) -> Result<(ast::Program, usize), ShellError> {
        let left = nesting::MAX_TOTAL_NESTING.saturating_sub(self.nesting);
        parse_program(text, &self.options, nesting::MAX_NESTING.min(left))
    }

    /// Runs shell text in `scope` itself (`eval`, `source`).
    fn script_in_place(
        &mut self,
        text: &str,
        scope: &mut Scope,
        stdin: Option<&Payload>,
        what: &str,
    ) -> Payload {
        if self.depth >= MAX_DEPTH {
            self.unparsed(format!("{what} nested too deeply: {text}"));
            return Payload::default();
        }
        match self.parse_nested(text) {
            Ok((program, nesting)) => {
                self.depth += 1;
                self.nesting += nesting;
                let out = self.program(&program, scope, stdin);
                self.nesting -= nesting;
                self.depth -= 1;
                out
            }
            Err(_) => {
                self.unparsed(format!("{what} that does not parse: {text}"));
                Payload::default()
            }
        }
    }

    fn compound_list(
        &mut self,
        list: &ast::CompoundList,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        let mut stdout = Payload::default();
        for item in &list.0 {
            self.and_or(&item.0, scope, stdin, &mut stdout);
        }
        stdout
    }

    fn pipeline(
        &mut self,
        pipeline: &ast::Pipeline,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        if let [only] = pipeline.seq.as_slice() {
            return self.command(only, scope, stdin);
        }
        let mut input = stdin.cloned();
        for command in &pipeline.seq {
            let mut sub = scope.clone();
            input = Some(self.command(command, &mut sub, input.as_ref()));
        }
        input.unwrap_or_default()
    }

    fn command(
        &mut self,
        command: &ast::Command,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        if scope.noexec || scope.returned {
            return Payload::default();
        }
        match command {
            ast::Command::Simple(simple) => self.simple(simple, scope, stdin),
            ast::Command::Compound(compound, redirects) => {
                let mut gathered = Redirects::with_stdin(stdin);
                for redirect in redirects.iter().flat_map(|list| list.0.iter()) {
                    self.redirect(redirect, scope, &mut gathered);
                }
                // `{ ...; } 3>PATH`: the body's commands may write to 3.
                let outer = (!gathered.descriptors.is_empty()).then(|| scope.descriptors.clone());
                open_descriptors(scope, &gathered.descriptors);
                let out = self.compound(compound, scope, gathered.stdin.as_ref());
                if let Some(outer) = outer {
                    scope.descriptors = outer;
                }
                self.finish_command(gathered, out)
            }
            ast::Command::Function(definition) => {
                self.functions
                    .insert(definition.fname.value.clone(), definition.body.clone());
                Payload::default()
            }
            ast::Command::ExtendedTest(test, _) => {
                self.test_expr(&test.expr, scope);
                Payload::default()
            }
        }
    }

    fn test_expr(&mut self, expr: &ast::ExtendedTestExpr, scope: &Scope) {
        match expr {
            ast::ExtendedTestExpr::And(a, b) | ast::ExtendedTestExpr::Or(a, b) => {
                self.test_expr(a, scope);
                self.test_expr(b, scope);
            }
            ast::ExtendedTestExpr::Not(a) | ast::ExtendedTestExpr::Parenthesized(a) => {
                self.test_expr(a, scope)
            }
            ast::ExtendedTestExpr::UnaryTest(_, w) => {
                self.expand(&w.value, scope);
            }
            ast::ExtendedTestExpr::BinaryTest(_, a, b) => {
                self.expand(&a.value, scope);
                self.expand(&b.value, scope);
            }
        }
    }

    fn compound(
        &mut self,
        compound: &ast::CompoundCommand,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        use ast::CompoundCommand as C;
        match compound {
            C::BraceGroup(group) => self.compound_list(&group.list, scope, stdin),
            C::Subshell(sub) => {
                let mut inner = scope.clone();
                self.compound_list(&sub.list, &mut inner, stdin)
            }
            C::ForClause(clause) => self.for_clause(clause, scope, stdin),
            C::ArithmeticForClause(clause) => self.maybe_list(&clause.body.list, scope, stdin),
            C::CaseClause(clause) => {
                let value = self.expand(&clause.value.value, scope);
                // A value the line fixes takes the first arm whose pattern
                // matches (`X=prod; case $X in prod) CTX=...`); with `;;`
                // that arm alone runs.
                if !value.dynamic
                    && let Some(arm) = self.matching_case(clause, &value.text, scope)
                    && let Some(case) = clause.cases.get(arm)
                    && matches!(case.post_action, ast::CaseItemPostAction::ExitCase)
                {
                    return match &case.cmd {
                        Some(body) => self.compound_list(body, scope, stdin),
                        None => Payload::default(),
                    };
                }
                // Any arm may run, each from the variables before it (an arm
                // after `;&` also from those that one leaves); a `*)` arm
                // runs when no other does.
                let mut stdout = Payload::default();
                let mut branches = self.open_branches(scope);
                let mut falls_through = false;
                for case in &clause.cases {
                    if !falls_through {
                        branches.enter(scope);
                    }
                    if let Some(body) = &case.cmd {
                        let out = self.compound_list(body, scope, stdin);
                        flow::merge(&mut stdout, &out);
                    }
                    falls_through = matches!(
                        case.post_action,
                        ast::CaseItemPostAction::UnconditionallyExecuteNextCaseItem
                    );
                    if falls_through {
                        branches.fall_through(scope);
                    } else {
                        branches.leave(scope);
                    }
                }
                if falls_through {
                    branches.leave(scope);
                }
                let exhaustive = clause
                    .cases
                    .iter()
                    .flat_map(|case| &case.patterns)
                    .any(|pattern| pattern.value == "*");
                branches.close(scope, exhaustive);
                stdout
            }
            C::IfClause(clause) => self.if_clause(clause, scope, stdin),
            C::WhileClause(clause) if getopts_words(&clause.0).is_some() => {
                self.getopts_loop(clause, scope, stdin)
            }
            C::WhileClause(clause) if read_loop_variable(&clause.0).is_some() => {
                self.read_loop(clause, scope, stdin)
            }
            C::WhileClause(clause) => self.conditional_loop(clause, false, scope, stdin),
            C::UntilClause(clause) => self.conditional_loop(clause, true, scope, stdin),
            // Its output goes to `NAME[0]`, not to the shell's.
            C::Coprocess(co) => {
                self.start_coprocess(co, scope);
                Payload::default()
            }
            C::Arithmetic(_) => Payload::default(),
        }
    }

    /// `while read [-r] VAR; do ...; done <<EOF` over text whose lines are
    /// known: the body once per line, with VAR set to it (as a `for` over
    /// the lines); over anything else, once, as any loop.
    fn read_loop(
        &mut self,
        clause: &ast::WhileOrUntilClauseCommand,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        let mut stdout = self.compound_list(&clause.0, scope, stdin);
        let lines: Vec<String> = stdin
            .map(|input| {
                input
                    .text
                    .iter()
                    .flat_map(|text| text.lines())
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let variable = read_loop_variable(&clause.0).unwrap_or_default();
        if lines.is_empty() {
            let body = self.maybe_list(&clause.1.list, scope, stdin);
            flow::merge(&mut stdout, &body);
            return stdout;
        }
        for line in lines.iter().take(MAX_LOOP_VALUES) {
            self.assign(scope, &variable, Arg::literal(line));
            let body = self.compound_list(&clause.1.list, scope, stdin);
            flow::merge(&mut stdout, &body);
        }
        stdout
    }

    /// `while getopts SPEC VAR; do ...; done` over options the line gave
    /// (the script's or function's arguments, or those after VAR): the
    /// body once per option, with VAR and OPTARG set as getopts sets them,
    /// and OPTIND after. Over unknown arguments, once, as any loop.
    fn getopts_loop(
        &mut self,
        clause: &ast::WhileOrUntilClauseCommand,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        let mut stdout = self.compound_list(&clause.0, scope, stdin);
        let mut words = Vec::new();
        for raw in getopts_words(&clause.0).unwrap_or_default() {
            self.push_words(raw, scope, &mut words);
        }
        let parsed = match words.as_slice() {
            [spec, variable, explicit @ ..] if !spec.dynamic && !variable.dynamic => {
                let args = if explicit.is_empty() {
                    scope.positional.as_slice()
                } else {
                    explicit
                };
                (!args.iter().any(|a| a.dynamic))
                    .then(|| {
                        let args: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
                        (variable.text.clone(), getopts(&spec.text, &args))
                    })
                    .filter(|(_, (options, _))| !options.is_empty())
            }
            _ => None,
        };
        let Some((variable, (options, next_index))) = parsed else {
            let body = self.maybe_list(&clause.1.list, scope, stdin);
            flow::merge(&mut stdout, &body);
            return stdout;
        };
        for (option, argument) in options.into_iter().take(MAX_LOOP_VALUES) {
            self.assign(scope, &variable, Arg::literal(&option));
            match argument {
                Some(argument) => self.assign(scope, "OPTARG", Arg::literal(&argument)),
                None => {
                    scope.vars.remove("OPTARG");
                }
            }
            let body = self.compound_list(&clause.1.list, scope, stdin);
            flow::merge(&mut stdout, &body);
        }
        self.assign(scope, "OPTIND", Arg::literal(&next_index.to_string()));
        stdout
    }

    /// Walks a `for` body once per listed value, with the variable set.
    fn for_clause(
        &mut self,
        clause: &ast::ForClauseCommand,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        // `for f in "${files[@]}"`: one value per element, as a command's
        // words are.
        let mut values: Vec<Arg> = Vec::new();
        for w in clause.values.iter().flatten() {
            self.push_words(&w.value, scope, &mut values);
        }
        // `for arg; do` and `for arg in "$@"` over known arguments: once
        // per argument, and not at all without any.
        if scope.positional_known
            && clause
                .values
                .as_ref()
                .is_none_or(|words| words.iter().all(|w| is_all_positional(&w.value)))
        {
            values = scope.positional.clone();
            if values.is_empty() {
                return Payload::default();
            }
        }
        if values.is_empty() {
            return self.maybe_list(&clause.body.list, scope, stdin);
        }
        let mut stdout = Payload::default();
        // A value not known may be no word at all: the body may not run,
        // so an `exit` in it does not end the shell.
        let may_not_run = values.iter().any(|v| v.dynamic);
        let ended_before = (scope.noexec, scope.returned);
        for value in values.into_iter().take(MAX_LOOP_VALUES) {
            self.assign(scope, &clause.variable_name, value);
            let out = self.compound_list(&clause.body.list, scope, stdin);
            flow::merge(&mut stdout, &out);
        }
        if may_not_run {
            (scope.noexec, scope.returned) = ended_before;
        }
        stdout
    }

    fn simple(
        &mut self,
        simple: &ast::SimpleCommand,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        let mut gathered = Redirects::with_stdin(stdin);
        if !self.aliases.is_empty()
            && let Some(text) = self.alias_expansion(simple)
        {
            let out = self.script(&text, scope, stdin, "alias");
            self.expanding.pop();
            return out;
        }
        if let Some(out) = self.simple_per_value(simple, scope, stdin) {
            return out;
        }
        let mut assignments: Vec<Assigned> = Vec::new();
        let mut words: Vec<Arg> = Vec::new();
        for item in simple.prefix.iter().flat_map(|p| p.0.iter()) {
            self.prefix_or_suffix(
                item,
                scope,
                &mut gathered,
                &mut words,
                Some(&mut assignments),
            );
        }
        // `VAR=v cmd "$VAR"`: bash expands `$VAR` before the assignment
        // takes effect, but a variable the shell has no value for is read as
        // the one the line gives it, so what the line visibly names (a DSN,
        // a URL) is not lost.
        let mut given;
        let word_scope = if assignments
            .iter()
            .any(|(n, _, _)| !scope.vars.contains_key(n))
        {
            given = scope.clone();
            for (name, value, _) in &assignments {
                if !scope.vars.contains_key(name) {
                    self.assign(&mut given, name, value.clone());
                }
            }
            &mut given
        } else {
            &mut *scope
        };
        if let Some(name) = &simple.word_or_name {
            self.push_words(&name.value, word_scope, &mut words);
        }
        let mut previous: Option<&ast::CommandPrefixOrSuffixItem> = None;
        for item in simple.suffix.iter().flat_map(|s| s.0.iter()) {
            let before = words.len();
            self.prefix_or_suffix(item, word_scope, &mut gathered, &mut words, None);
            // `@<(cmd)`, `x<(cmd)y`: bash makes one word of text and a
            // process substitution written without a space between them.
            if previous.is_some_and(|p| touch(p, item))
                && before > 0
                && words.len() == before + 1
                && let Some(next) = words.pop()
                && let Some(last) = words.last_mut()
            {
                last.text.push_str(&next.text);
                absorb(last, &next);
            }
            previous = Some(item);
        }
        if words.is_empty() {
            for (name, value, array) in assignments {
                self.assign(scope, &name, value);
                if let Some(var) = scope.vars.get_mut(&name) {
                    var.array = array;
                }
            }
            return self.finish_command(gathered, Payload::default());
        }
        // `exec 3<>/dev/tcp/HOST/PORT` without a command: the descriptors
        // stay open for the rest of the script.
        if let [only] = words.as_slice()
            && only.text == "exec"
            && !only.dynamic
        {
            open_descriptors(scope, &gathered.descriptors);
        }
        if words.iter().any(|w| w.dynamic) {
            self.dynamic_commands += 1;
        }
        let first_effect = self.out.effects.len();
        let env = assignments.into_iter().map(|(n, v, _)| (n, v)).collect();
        let out = self.run(words, env, scope, gathered.stdin.as_ref());
        if gathered.stdin_empty {
            // A connection with nothing to read from (`openssl s_client
            // ... </dev/null`) sends nothing: it only opens and reads.
            for effect in self.out.effects.get_mut(first_effect..).unwrap_or_default() {
                if let Effect::Request(request) = effect
                    && request.method == "SEND"
                    && request.payload == Payload::default()
                {
                    request.method = "CONNECT".to_owned();
                }
            }
        }
        self.finish_command(gathered, out)
    }

    /// The command with its first word replaced by the alias the line
    /// defined for it (bash expands aliases in scripts only after `shopt -s
    /// expand_aliases`; writ expands them regardless, as an agent's shell
    /// may be interactive), and the alias being expanded.
    fn alias_expansion(&mut self, simple: &ast::SimpleCommand) -> Option<String> {
        let name = simple.word_or_name.as_ref()?.value.as_str();
        if self.expanding.iter().any(|n| n == name) {
            return None;
        }
        let value = self.aliases.get(name)?;
        let mut text = String::new();
        if let Some(prefix) = &simple.prefix {
            text.push_str(&prefix.to_string());
            text.push(' ');
        }
        text.push_str(value);
        if let Some(suffix) = &simple.suffix {
            text.push(' ');
            text.push_str(&suffix.to_string());
        }
        self.expanding.push(name.to_owned());
        Some(text)
    }

    fn prefix_or_suffix(
        &mut self,
        item: &ast::CommandPrefixOrSuffixItem,
        scope: &mut Scope,
        gathered: &mut Redirects,
        words: &mut Vec<Arg>,
        assignments: Option<&mut Vec<Assigned>>,
    ) {
        use ast::CommandPrefixOrSuffixItem as I;
        match item {
            I::IoRedirect(redirect) => self.redirect(redirect, scope, gathered),
            I::Word(w) => self.push_words(&w.value, scope, words),
            I::AssignmentWord(assignment, w) => match assignments {
                Some(list) => {
                    let name = assignment_name(&assignment.name);
                    let (mut value, mut array) = self.assignment_value(&assignment.value, scope);
                    if let ast::AssignmentName::ArrayElementName(_, index) = &assignment.name {
                        // `a[k]=v`: one element of the array set.
                        let key = self.expand(index, scope);
                        let mut whole = scope
                            .vars
                            .get(&name)
                            .and_then(|v| v.array.clone())
                            .unwrap_or_default();
                        if key.dynamic {
                            whole.elements.push(value);
                        } else {
                            whole.set(&key.text, value);
                        }
                        value = whole.joined();
                        array = Some(whole);
                    } else if assignment.append
                        && let Some(old) = scope.vars.get(&name)
                    {
                        // `s+=x` appends text, `a+=(x)` elements.
                        let mut joined = old.value.clone();
                        if array.is_some() && !joined.text.is_empty() {
                            joined.text.push(' ');
                        }
                        joined.text.push_str(&value.text);
                        absorb(&mut joined, &value);
                        value = joined;
                        if let Some(new) = array.take() {
                            let mut all = old.array.clone().unwrap_or_else(|| Array {
                                elements: vec![old.value.clone()],
                                keys: None,
                            });
                            match (&mut all.keys, new.keys) {
                                (Some(keys), Some(new_keys)) => keys.extend(new_keys),
                                (None, None) => {}
                                (keys, _) => *keys = None,
                            }
                            all.elements.extend(new.elements);
                            array = Some(all);
                        }
                    }
                    list.push((name, value, array));
                }
                None => words.push(self.expand(&w.value, scope)),
            },
            I::ProcessSubstitution(ast::ProcessSubstitutionKind::Read, sub) => {
                let (out, dynamic) = if self.is_printing_substitution(&sub.list) {
                    // `<(printf ...)` whose text is known: a file of that text.
                    let (out, known) = self.substitution(&sub.list, scope);
                    match known {
                        Some(text) => {
                            let mut file = Payload::default();
                            flow::push_text(&mut file, &text);
                            (file, false)
                        }
                        None => (out, true),
                    }
                } else {
                    let mut inner = scope.clone();
                    (self.compound_list(&sub.list, &mut inner, None), true)
                };
                // The command reads the file as what `cmd` printed.
                let path = self.process_file();
                self.contents.insert(path.clone(), out.clone());
                gathered.process_files.push(path.clone());
                words.push(Arg {
                    text: path,
                    prov: out,
                    substitutions: vec![sub.list.to_string()],
                    dynamic,
                    ..Arg::default()
                });
            }
            I::ProcessSubstitution(ast::ProcessSubstitutionKind::Write, sub) => {
                let path = self.process_file();
                gathered.sinks.push(ProcessSink {
                    path: path.clone(),
                    list: sub.list.clone(),
                    scope: scope.clone(),
                    argument: true,
                });
                words.push(Arg {
                    text: path,
                    substitutions: vec![sub.list.to_string()],
                    ..Arg::default()
                });
            }
        }
    }

    /// An assignment's value as one word, and an array's elements.
    fn assignment_value(
        &mut self,
        value: &ast::AssignmentValue,
        scope: &Scope,
    ) -> (Arg, Option<Array>) {
        match value {
            ast::AssignmentValue::Scalar(w) => (self.expand(&w.value, scope), None),
            ast::AssignmentValue::Array(items) => {
                let mut array = Array::default();
                let keyed = items.iter().any(|(key, _)| key.is_some());
                let mut keys = Vec::with_capacity(items.len());
                for (key, w) in items {
                    match key {
                        // `[k]=v`: one element, not split, under its key.
                        Some(key) => {
                            keys.push(self.expand(&key.value, scope).text);
                            array.elements.push(self.expand(&w.value, scope));
                        }
                        None => {
                            let before = array.elements.len();
                            self.push_words(&w.value, scope, &mut array.elements);
                            if keyed {
                                keys.extend((before..array.elements.len()).map(|i| i.to_string()));
                            }
                        }
                    }
                }
                if keyed {
                    array.keys = Some(keys);
                }
                (array.joined(), Some(array))
            }
        }
    }

    fn assign(&mut self, scope: &mut Scope, name: &str, value: Arg) {
        let literal = (!value.dynamic).then(|| value.text.clone());
        let exported = scope.allexport || scope.vars.get(name).is_some_and(|v| v.exported);
        scope.vars.insert(
            name.to_owned(),
            Var {
                literal,
                value,
                exported,
                array: None,
                nameref: false,
                choices: Vec::new(),
            },
        );
    }

    /// Runs one command: builtins that change shell state, functions, and
    /// everything else through the command handlers.
    fn run(
        &mut self,
        words: Vec<Arg>,
        env: Vec<(String, Arg)>,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        let Some((name, args)) = words.split_first() else {
            return Payload::default();
        };
        let looked_up = looked_up_program(name);
        let name = looked_up.as_ref().unwrap_or(name);
        // `/???/b??/n[c] host 80`: the first program the glob matches,
        // with the other matches as its first arguments.
        let globbed: Vec<Arg> = command_glob::expand(name)
            .map(|mut words| {
                words.extend(args.iter().cloned());
                words
            })
            .unwrap_or_default();
        let (name, args) = globbed.split_first().unwrap_or((name, args));
        // A copy of an installed program runs as that program.
        let copied = self.copied_program(name, &env, scope);
        let name = copied.as_ref().unwrap_or(name);
        if name.dynamic {
            self.unknown_command_name(&name.text);
            return stdin.cloned().unwrap_or_default();
        }
        let program = paths::basename(&name.text).to_owned();
        self.note_program(&program);
        // A mapping command names drives itself; other commands' paths on
        // a mapped drive are paths under its root.
        let on_drives;
        let args = match drives::mapping(&program, args) {
            Some((drive, root)) => {
                scope
                    .drives
                    .retain(|(name, _)| !name.eq_ignore_ascii_case(&drive));
                scope.drives.push((drive, root));
                args
            }
            None if scope.drives.is_empty() => args,
            None => {
                on_drives = args
                    .iter()
                    .map(
                        |arg| match drives::on_mapped_drive(&arg.text, &scope.drives) {
                            Some(text) => arg.with_text(&text),
                            None => arg.clone(),
                        },
                    )
                    .collect::<Vec<_>>();
                on_drives.as_slice()
            }
        };
        if let Some(argv) = self.written_executable(name, args, scope) {
            return self.run_argv(argv, env, None, scope, stdin);
        }
        if let Some((text, script_args)) = known_script_operand(&program, args, stdin) {
            let job = Nested::ShellScript {
                text,
                what: format!("{program} <(...)"),
                args: script_args,
                env,
            };
            return self.run_nested(job, scope, stdin);
        }
        match program.as_str() {
            "cd" => self.cd(args, scope),
            "pushd" => {
                scope.dirstack.push(scope.cwd.clone());
                self.cd(args, scope);
            }
            "popd" => {
                if let Some(dir) = scope.dirstack.pop() {
                    scope.oldpwd = Some(std::mem::replace(&mut scope.cwd, dir));
                }
            }
            // `export -p`, `declare -x`, `set` alone print the environment.
            "export" | "declare" | "typeset" if args.iter().all(|a| a.text.starts_with('-')) => {
                let mut out = Payload::default();
                flow::push_env(&mut out, crate::ALL_ENV);
                return out;
            }
            "set" if args.is_empty() => {
                let mut out = Payload::default();
                flow::push_env(&mut out, crate::ALL_ENV);
                return out;
            }
            // `set -- a b`, `set a b`: the positional parameters become
            // the words after the options (`set -e -- x` too).
            "set" => {
                scope.noexec |= noexec_option(args);
                if let Some(on) = shell_option(args, 'a', "allexport") {
                    scope.allexport = on;
                }
                // `-o NAME` (also within `-euo NAME`) takes the word after
                // it: `set -euo pipefail` sets no positional parameter.
                let mut options = 0;
                while let Some(word) = args.get(options) {
                    let text = word.text.as_str();
                    if !text.starts_with(['-', '+']) || text == "--" {
                        break;
                    }
                    options += 1;
                    let named_option = text.get(1..).is_some_and(|flags| flags.contains('o'));
                    if named_option
                        && args
                            .get(options)
                            .is_some_and(|next| !next.text.starts_with(['-', '+']))
                    {
                        options += 1;
                    }
                }
                let rest = args.get(options..).unwrap_or_default();
                let (marked, words) = match rest.split_first() {
                    Some((first, words)) if first.text == "--" => (true, words),
                    _ => (false, rest),
                };
                if marked || !words.is_empty() {
                    scope.positional = words.to_vec();
                    scope.positional_known = words.iter().all(|w| !w.dynamic);
                }
            }
            "export" | "declare" | "typeset" | "local" | "readonly" => {
                let exports = program == "export"
                    || args
                        .iter()
                        .any(|a| a.text.starts_with('-') && a.text.contains('x'));
                let names_refs = program != "export"
                    && args
                        .iter()
                        .any(|a| a.text.starts_with('-') && a.text.contains('n'));
                for arg in args.iter().filter(|a| !a.text.starts_with('-')) {
                    let name = match arg.text.split_once('=') {
                        Some((var, value)) => {
                            // `declare -a a=(x y)`, `declare -A m=([k]=v)`:
                            // an array of those words.
                            let array = value
                                .strip_prefix('(')
                                .and_then(|v| v.strip_suffix(')'))
                                .map(|inner| declared_array(arg, inner));
                            let value = match &array {
                                Some(array) => array.joined().text,
                                None => value.to_owned(),
                            };
                            self.assign(scope, var, arg.with_text(&value));
                            if let Some(declared) = scope.vars.get_mut(var) {
                                declared.array = array;
                            }
                            var
                        }
                        None => arg.text.as_str(),
                    };
                    if exports && let Some(var) = scope.vars.get_mut(name) {
                        var.exported = true;
                    }
                    if names_refs && let Some(var) = scope.vars.get_mut(name) {
                        var.nameref = true;
                    }
                }
            }
            "alias" => {
                for arg in args.iter().filter(|a| !a.dynamic) {
                    if let Some((alias, value)) = arg.text.split_once('=') {
                        self.aliases.insert(alias.to_owned(), value.to_owned());
                    }
                }
            }
            // `hash -p /usr/bin/git g`: `g` runs that program, as an
            // alias of its path would.
            "hash" if args.first().is_some_and(|a| a.text == "-p") => {
                if let [_, path, names @ ..] = args
                    && !path.dynamic
                {
                    for name in names.iter().filter(|n| !n.dynamic) {
                        self.aliases.insert(name.text.clone(), path.text.clone());
                    }
                }
            }
            // `printf -v VAR FORMAT ARGS`: the text printf would print is
            // VAR's value, carrying what its arguments carry.
            "printf" if args.first().is_some_and(|a| a.text == "-v") => {
                if let [_, variable, format @ ..] = args
                    && !variable.dynamic
                {
                    let texts: Vec<&str> = format.iter().map(|a| a.text.as_str()).collect();
                    let mut value = Arg::literal(&flow::printf_output(&texts));
                    for part in format {
                        absorb(&mut value, part);
                    }
                    self.assign(scope, &variable.text, value);
                }
                return Payload::default();
            }
            "unalias" => {
                for arg in args {
                    self.aliases.remove(&arg.text);
                }
            }
            "trap" => set_trap(&mut scope.traps, args),
            // `return` ends the function call it runs in; outside of one,
            // bash reports an error and goes on.
            "return" if self.function_calls > 0 => scope.returned = true,
            "mapfile" | "readarray" => self.mapfile(args, scope, stdin),
            "read" => {
                // `IFS=, read a b`: the separators for this read alone.
                let separators = env
                    .iter()
                    .find(|(name, _)| name == "IFS")
                    .map(|(_, value)| value.text.clone());
                self.read_builtin(args, separators.as_deref(), scope, stdin);
            }
            // `shift`, `shift 2`, `shift $((OPTIND - 1))`: the first
            // positional parameters go. An unknown count leaves them.
            "shift" => {
                let count = match args.first() {
                    None => Some(1),
                    Some(arg) if !arg.dynamic => arg.text.parse::<usize>().ok(),
                    Some(_) => None,
                };
                match count {
                    Some(count) => {
                        scope.positional.drain(..count.min(scope.positional.len()));
                    }
                    None => scope.positional_known = false,
                }
            }
            "unset" => {
                for arg in args {
                    scope.vars.remove(&arg.text);
                }
            }
            _ => {
                if let Some(body) = self.functions.get(&program).cloned() {
                    let saved = std::mem::replace(&mut scope.positional, args.to_vec());
                    let saved_known = std::mem::replace(
                        &mut scope.positional_known,
                        args.iter().all(|a| !a.dynamic),
                    );
                    // `FORCE=1 f`: the function sees the line's assignments,
                    // exported, for the call only.
                    let shadowed: Vec<(String, Option<Var>)> = env
                        .iter()
                        .map(|(name, value)| {
                            let before = scope.vars.get(name).cloned();
                            self.assign(scope, name, value.clone());
                            if let Some(var) = scope.vars.get_mut(name) {
                                var.exported = true;
                            }
                            (name.clone(), before)
                        })
                        .collect();
                    let out = self.call_function(&body, scope, stdin);
                    for (name, before) in shadowed.into_iter().rev() {
                        match before {
                            Some(var) => scope.vars.insert(name, var),
                            None => scope.vars.remove(&name),
                        };
                    }
                    scope.positional = saved;
                    scope.positional_known = saved_known;
                    return out;
                }
                // Command names are matched without regard to case
                // (`CURL`, `Scp`), and `curl.exe` is `curl`.
                if program.bytes().any(|b| b.is_ascii_uppercase()) || program.ends_with(".exe") {
                    let lower = program.to_ascii_lowercase();
                    let external = lower.strip_suffix(".exe").unwrap_or(&lower);
                    return self.run_external(external, args, &env, scope, stdin);
                }
                return self.run_external(&program, args, &env, scope, stdin);
            }
        }
        Payload::default()
    }

    fn call_function(
        &mut self,
        body: &ast::FunctionBody,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        if self.depth >= MAX_DEPTH {
            return Payload::default();
        }
        self.depth += 1;
        self.function_calls += 1;
        let out = self.compound(&body.0, scope, stdin);
        // A `return` in it ended this call; the caller goes on.
        scope.returned = false;
        self.function_calls -= 1;
        self.depth -= 1;
        out
    }

    fn run_external(
        &mut self,
        program: &str,
        args: &[Arg],
        env: &[(String, Arg)],
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        let empty = Payload::default();
        // The command's own assignments, then what the shell exported.
        let mut environment = env.to_vec();
        for (name, var) in &scope.vars {
            if var.exported && !environment.iter().any(|(n, _)| n == name) {
                environment.push((name.clone(), var.value.clone()));
            }
        }
        let invocation = Invocation {
            program,
            args,
            cwd: &scope.cwd,
            home: self.home,
            env: &environment,
            stdin: stdin.unwrap_or(&empty),
            has_stdin: stdin.is_some(),
        };
        let mut outcome = commands::dispatch(&invocation);
        if shell_noexec(program, args) {
            // `bash -n FILE`, `sh -n -c TEXT`: the script is read and
            // parsed, and nothing in it runs.
            outcome.nested.clear();
            outcome.opaque.clear();
        } else {
            self.run_written_script(&invocation, &mut outcome);
        }
        // `jq FILTER FILE` over a file an earlier step wrote.
        self.jq_known_file(&invocation, &mut outcome);
        // A task runner's recipe, a launchd job or a cron table whose file
        // was written earlier runs the text it holds (`make ship`).
        if !self.contents.is_empty() || !self.views.is_empty() {
            // An alias git's configuration files define (`git pf`, after
            // `git config alias.pf 'push --force-with-lease'`).
            commands::configured_git_aliases(&invocation, &mut outcome, &|path| {
                self.script_text(path)
            });
            let viewed = self.finds_in_views(&invocation, commands::run_recipes);
            commands::run_recipes(&invocation, &mut outcome, &|path| {
                self.runner_text(path)
                    .or_else(|| viewed.then(|| self.views.get(path).cloned()).flatten())
            });
            // A policy document given as a file written earlier.
            commands::written_policies(&invocation, &mut outcome, &|path| self.script_text(path));
            // A migration runner's database named by its configuration
            // file, and the migration files it applies.
            commands::configured_migration(
                &invocation,
                &mut outcome,
                &|path| self.script_text(path),
                &|dir| self.texts_under(dir),
            );
            // A SQL client's script file, and a compose file's services.
            commands::written_sql_scripts(&invocation, &mut outcome, &|path| {
                self.script_text(path)
            });
            // An LDAP client's LDIF file, and a patch file (`patch -i F`).
            commands::written_ldif(&invocation, &mut outcome, &|path| self.script_text(path));
            commands::written_patches(&invocation, &mut outcome, &|path| self.script_text(path));
            commands::compose_services(&invocation, &mut outcome, &|path| self.script_text(path));
            // An expect script or a debugger's command file.
            commands::written_command_scripts(&invocation, &mut outcome, &|path| {
                self.script_text(path)
            });
            // An environment manager's hook, task or lifecycle commands.
            commands::written_env_scripts(&invocation, &mut outcome, &|path| {
                self.script_text(path)
            });
            // An editor's code file (`vim -S F`, `emacs -l F`, `ex < F`).
            commands::written_editor_scripts(&invocation, &mut outcome, &|path| {
                self.script_text(path)
            });
            commands::written_dockerfile(&invocation, &mut outcome, &|path| self.script_text(path));
            // An LXD image's document (`lxc image edit IMG < doc.yaml`).
            commands::written_image_documents(&invocation, &mut outcome, &|path| {
                self.script_text(path)
            });
            commands::written_lua_scripts(&invocation, &mut outcome, &|path| {
                self.script_text(path)
            });
            // A cargo xtask's source, shown in part where it names the task.
            let viewed = invocation.program == "cargo"
                && self.finds_in_views(&invocation, commands::written_language_scripts)
                && self.views_name_task(&invocation);
            commands::written_language_scripts(&invocation, &mut outcome, &|path| {
                self.script_text(path)
                    .or_else(|| viewed.then(|| self.views.get(path).cloned()).flatten())
            });
            // The `conftest.py` files pytest loads (`uv run pytest tests/`).
            commands::written_conftests(&invocation, &mut outcome, &|path| self.script_text(path));
            // A Puppet manifest (`puppet apply site.pp`).
            commands::written_manifests(&invocation, &mut outcome, &|path| self.script_text(path));
            // A Kubernetes manifest's role bindings (`kubectl apply -f rbac.yaml`).
            commands::applied_kube_grants(
                &invocation,
                &mut outcome,
                &|path| self.script_text(path),
                &|dir| self.texts_under(dir),
            );
            // A notebook run as the code it holds (`jupyter nbconvert --execute`).
            commands::written_notebooks(&invocation, &mut outcome, &|path| self.script_text(path));
            // A SkyPilot task file's mounts and environment.
            commands::written_gpu_tasks(&invocation, &mut outcome, &|path| self.script_text(path));
            // A localization CLI's or Bazel's configuration files.
            commands::configured_l10n(&invocation, &mut outcome, &|path| self.script_text(path));
            commands::configured_build(&invocation, &mut outcome, &|path| self.script_text(path));
            // A transfer's batch file or file list (`sftp -b F`, `rsync --files-from=F`).
            commands::written_transfer_lists(&invocation, &mut outcome, &|path| {
                self.script_text(path)
            });
            // A backup tool's configuration, repository file or file list.
            commands::configured_backups(&invocation, &mut outcome, &|path| self.script_text(path));
            // A batch file run by cmd (`call diag.cmd`, `cmd /c diag.cmd`).
            commands::written_batch_files(&invocation, &mut outcome, &|path| {
                self.script_text(path)
            });
            // A package manager's registry configuration (`.npmrc`, `poetry.toml`),
            // and a package's `publishConfig` also from a part of its
            // `package.json` an earlier step showed (`jq .publishConfig`).
            commands::configured_registry(&invocation, &mut outcome, &|path| {
                self.script_text(path).or_else(|| {
                    path.ends_with("/package.json")
                        .then(|| self.views.get(path).cloned())
                        .flatten()
                })
            });
            // A client's configuration file: an AWS profile's or s3cmd's
            // endpoint, rclone's remotes, npm's registries for an install.
            commands::configured_clients(&invocation, &mut outcome, &|path| self.script_text(path));
        }
        if flow::is_text_transformer(program) {
            // What a decoder or cipher prints from text the line fixes is
            // that text transformed (`echo Y3VybCAuLi4= | base64 -d | sh`
            // runs `curl ...`, as does `rev <<< '... lruc' | sh`); else
            // what it prints is not known.
            match flow::transformed_stdout(program, args, stdin) {
                Some(text) => {
                    let mut decoded = Payload::default();
                    flow::push_text(&mut decoded, &text);
                    outcome.stdout = Some(decoded);
                }
                None => self.dynamic_commands += 1,
            }
        }
        // jq's output is known text only when its handler computed it
        // (`jq -n '{a: 1}'`); else what it prints is not known.
        if JQ.contains(&program) && outcome.stdout.is_none() {
            self.dynamic_commands += 1;
        }
        // What the command runs inherits its `NAME=value` prefixes
        // (`DATABASE_URL=... npx prisma migrate deploy`).
        for job in &mut outcome.nested {
            // Shell text the program runs (`ruby -e 'sh "psql $URL"'`)
            // runs in a shell that inherits them too.
            if !env.is_empty()
                && let Nested::Script { text, what } = job
            {
                *job = Nested::ShellScript {
                    text: std::mem::take(text),
                    what: std::mem::take(what),
                    args: Vec::new(),
                    env: Vec::new(),
                };
            }
            if let Nested::Argv { env: inner, .. } | Nested::ShellScript { env: inner, .. } = job {
                for (name, value) in env {
                    if !inner.iter().any(|(n, _)| n == name) {
                        inner.push((name.clone(), value.clone()));
                    }
                }
            }
        }
        // Shell text the command runs may be made of its unknown words.
        self.splicing = args.iter().any(|a| a.dynamic);
        let mut printed = self.apply(outcome, scope, stdin);
        if !PRINTS_AS_READ.contains(&program) {
            // What another program prints of quoted text may be that text
            // expanded (`envsubst`, a template engine): no longer as written.
            printed.quoted.clear();
        }
        printed
    }

    /// True when `lookup` (a task runner's) finds in the parts of files
    /// earlier steps showed something to run that the files known whole do
    /// not give it: its target is in the part shown. Then, and only then,
    /// the runner may read those parts; when the target is elsewhere in the
    /// file, what the runner does stays as if nothing were shown.
    fn finds_in_views(
        &self,
        inv: &Invocation<'_>,
        lookup: fn(&Invocation<'_>, &mut Outcome, &commands::Lookup<'_>),
    ) -> bool {
        if self.views.is_empty() {
            return false;
        }
        let mut whole = Outcome::default();
        lookup(inv, &mut whole, &|path| self.runner_text(path));
        let mut viewed = Outcome::default();
        lookup(inv, &mut viewed, &|path| {
            self.runner_text(path)
                .or_else(|| self.views.get(path).cloned())
        });
        let known: Vec<String> = whole.nested.iter().map(|job| format!("{job:?}")).collect();
        viewed
            .nested
            .iter()
            .any(|job| !known.contains(&format!("{job:?}")))
    }

    /// True when a part of a file shown names the task a program's words
    /// ask for (`cargo xtask bench-upload` and `fn bench_upload`): its
    /// first word after the subcommand (or after `--`), spelt with `-` or
    /// `_`. Code shown in part runs as the task only where it is the task's.
    fn views_name_task(&self, inv: &Invocation<'_>) -> bool {
        let words: Vec<&str> = inv.args.iter().map(|a| a.text.as_str()).collect();
        let after = match words.iter().position(|w| *w == "--") {
            Some(dashes) => words.get(dashes + 1..),
            None => words.get(1..),
        };
        let Some(task) = after
            .unwrap_or_default()
            .iter()
            .find(|w| !w.starts_with('-'))
        else {
            return false;
        };
        let snake = task.replace('-', "_");
        self.views
            .values()
            .any(|text| text.contains(*task) || text.contains(&snake))
    }

    /// The text of a script written earlier (on the line or by an earlier
    /// step) when that is all the file is known to hold.
    fn script_text(&self, path: &str) -> Option<String> {
        self.contents.get(path).and_then(stdin_script_text)
    }

    /// The text a task runner reads at `path`: a script's, or for a glob
    /// (a makefile's `include mk/*.mk`) the texts of the files written
    /// that it matches, in the order of their paths.
    fn runner_text(&self, path: &str) -> Option<String> {
        let written = self.script_text(path);
        if written.is_some() || !commands::is_glob(path) {
            return written;
        }
        let texts: Vec<String> = self
            .contents_named(path)
            .iter()
            .filter_map(stdin_script_text)
            .collect();
        (!texts.is_empty()).then(|| texts.join("\n"))
    }

    /// A file written earlier run by its path (`./beacon.sh`, after `chmod
    /// +x`): the command its `#!` line names (`#!/usr/bin/env python3`),
    /// or a shell for one without, given the file and the arguments.
    fn written_executable(&self, name: &Arg, args: &[Arg], scope: &Scope) -> Option<Vec<Arg>> {
        if !name.text.contains('/') || name.dynamic || self.depth >= MAX_DEPTH {
            return None;
        }
        let text = self.script_text(&paths::resolve(&scope.cwd, self.home, &name.text))?;
        let interpreter = shebang_interpreter(&text).unwrap_or_else(|| "sh".to_owned());
        let mut argv = vec![Arg::literal(&interpreter), name.clone()];
        // A batch file runs in cmd (`./diag.cmd`, as Git Bash runs it).
        if [".bat", ".cmd"]
            .iter()
            .any(|e| name.text.to_ascii_lowercase().ends_with(e))
        {
            argv = vec![Arg::literal("cmd"), Arg::literal("/c"), name.clone()];
        }
        argv.extend(args.iter().cloned());
        Some(argv)
    }

    /// A shell or interpreter given a script file whose text is known (its
    /// handler reads the file) runs that text: a shell's as `sh -c` text
    /// with the file as `$0`, an interpreter's as its inline code
    /// (`python3 f.py` as `python3 -c TEXT`).
    fn run_written_script(&self, inv: &Invocation<'_>, outcome: &mut Outcome) {
        let program = inv.program;
        let shell = matches!(
            program,
            "sh" | "bash" | "dash" | "zsh" | "ksh" | "source" | "."
        );
        let code_flag = match program {
            _ if shell => "",
            "node" | "nodejs" | "tsx" | "ts-node" | "esno" | "perl" | "ruby" | "bun"
            | "rscript" | "r" | "osascript" => "-e",
            "php" => "-r",
            "deno" => "eval",
            _ if program
                .strip_prefix("python")
                .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.')) =>
            {
                "-c"
            }
            _ => return,
        };
        if self.contents.is_empty() {
            return;
        }
        let Some((index, path, text)) = inv.args.iter().enumerate().find_map(|(index, arg)| {
            let path = inv.path(&arg.text);
            let read = outcome
                .effects
                .iter()
                .any(|e| matches!(e, Effect::Read { file } if file.path == path));
            if !read || arg.dynamic {
                return None;
            }
            let text = self.script_text(&path)?;
            Some((index, path, text))
        }) else {
            return;
        };
        let rest = inv.args.get(index + 1..).unwrap_or_default();
        // `source f` runs f in this shell: what it exports stays set.
        if matches!(program, "source" | ".") && rest.is_empty() {
            outcome.nested.push(Nested::InPlace {
                text,
                what: format!("{program} {path}"),
                bindings: Vec::new(),
            });
            return;
        }
        if shell {
            let mut args = vec![inv.args.get(index).cloned().unwrap_or_default()];
            args.extend(rest.iter().cloned());
            outcome.nested.push(Nested::ShellScript {
                text,
                what: format!("{program} {path}"),
                args,
                env: Vec::new(),
            });
            return;
        }
        // Options before the script stay; `deno run FILE` is `deno eval CODE`.
        let mut args: Vec<Arg> = if program == "deno" {
            Vec::new()
        } else {
            inv.args.get(..index).unwrap_or_default().to_vec()
        };
        // R's `-f FILE`: the file's text is now the code.
        if program == "r"
            && args
                .last()
                .is_some_and(|a| matches!(a.text.as_str(), "-f" | "--file"))
        {
            args.pop();
        }
        // The code knows where it runs from (`__file__`, `__dirname`).
        let text = commands::with_script_path(&text, program, &path).unwrap_or(text);
        // Configuration files written earlier that the code loads, as the
        // mappings they hold (`cfg = yaml.safe_load(open(path))`).
        let text = commands::with_loaded_configs(inv, &text, rest, &|p| self.script_text(p))
            .unwrap_or(text);
        // A Ruby or PHP script's options, the configuration files it loads
        // and (PHP) the strings it builds, as the values they hold.
        let known = |p: &str| self.script_text(p);
        let text = commands::with_loaded_ruby_configs(inv, &text, rest, &known)
            .or_else(|| commands::with_loaded_php_configs(inv, &text, rest, &known))
            .unwrap_or(text);
        // JSON files a Node.js script loads (`JSON.parse(fs.readFileSync(p))`,
        // `require('./x.json')`), as the object literals they hold.
        let text = commands::with_loaded_json(inv, &text, &path, rest, &|p| self.script_text(p))
            .unwrap_or(text);
        args.push(Arg::literal(code_flag));
        args.push(Arg::literal(&text));
        args.extend(rest.iter().cloned());
        let mut inline = commands::dispatch(&inv.with_args(&args));
        let ran = format!("{program} runs inline code: ");
        for line in &mut inline.opaque {
            if line.starts_with(&ran) {
                *line = format!("{program} runs the code of {path}");
            }
        }
        let mut effects = std::mem::take(&mut outcome.effects);
        effects.append(&mut inline.effects);
        inline.effects = effects;
        inline.opaque.append(&mut outcome.opaque);
        *outcome = inline;
    }

    /// Records a handler's outcome and runs the commands it wraps.
    fn apply(&mut self, outcome: Outcome, scope: &mut Scope, stdin: Option<&Payload>) -> Payload {
        let Outcome {
            effects,
            stdout,
            prints,
            opaque,
            contents,
            nested,
            nested_output_sent,
            nested_credential,
            images,
            serves,
            publishes,
            clipboard,
        } = outcome;
        let splices = std::mem::take(&mut self.splicing);
        let first_effect = self.out.effects.len();
        let mut read_prov = stdin.cloned().unwrap_or_default();
        for mut effect in effects {
            match &mut effect {
                Effect::Read { file } => {
                    if paths::is_special_device(&file.path) {
                        // A process substitution's file: what its command printed.
                        if let Some(printed) = self.contents.get(&file.path) {
                            flow::merge(&mut read_prov, printed);
                        }
                        continue;
                    }
                    flow::merge(
                        &mut read_prov,
                        &self.file_provenance(&file.path, file.recursive),
                    );
                }
                Effect::Write { path, .. } if paths::is_special_device(path) => continue,
                Effect::Request(request) => {
                    // The files the request names, with what they hold; its
                    // input came with what the files it was made of held (as
                    // the program that printed it left them: `envsubst <
                    // t.tpl` does not print t.tpl as written).
                    self.expand_contents(&mut request.payload);
                    if let Some(input) = stdin {
                        flow::merge(&mut request.payload, input);
                    }
                }
                // What an earlier command put in an attachment (`zip a.zip
                // f && mutt -a a.zip`) goes with it.
                Effect::Message(message) => self.expand_contents(&mut message.payload),
                _ => {}
            }
            self.out.effects.push(effect);
        }
        self.out.opaque.extend(opaque);
        self.image_steps(images, first_effect);
        if !serves.is_empty() || !publishes.is_empty() {
            self.link_served(first_effect, serves, publishes);
        }
        for (path, payload) in contents {
            let mut payload = payload;
            self.expand_contents(&mut payload);
            self.contents.insert(path, payload);
        }
        let pasted = self.clipboard_steps(clipboard);
        let mut nested_out: Option<Payload> = None;
        let first_nested = self.out.effects.len();
        for job in nested {
            let out = self.run_spliced(job, splices, scope, pasted.fed.as_ref().or(stdin));
            flow::merge(nested_out.get_or_insert_with(Payload::default), &out);
        }
        if let Some((credential, programs)) = &nested_credential {
            for effect in self.out.effects.get_mut(first_nested..).unwrap_or_default() {
                if let Effect::Request(request) = effect
                    && programs.contains(&request.program.as_str())
                {
                    flow::merge(&mut request.payload, credential);
                    // A login the wrapper types into is a session that
                    // carries what it types (`sshpass ... ssh host`).
                    if request.method == "CONNECT" && request.payload != Payload::default() {
                        request.method = "EXEC".to_owned();
                    }
                }
            }
        }
        if let (true, Some(printed)) = (nested_output_sent, &nested_out) {
            for effect in self.out.effects.get_mut(first_effect..).unwrap_or_default() {
                if let Effect::Request(request) = effect {
                    flow::merge(&mut request.payload, printed);
                    if request.method == "CONNECT" && request.payload != Payload::default() {
                        request.method = "SEND".to_owned();
                    }
                }
            }
        }
        // What a paste prints is the command's output.
        let stdout = match pasted.printed {
            Some(printed) => {
                let mut explicit = stdout.unwrap_or_default();
                flow::merge(&mut explicit, &printed);
                Some(explicit)
            }
            None => stdout,
        };
        match (stdout, nested_out) {
            (Some(mut explicit), _) => {
                self.expand_contents(&mut explicit);
                explicit
            }
            (None, Some(mut out)) => {
                flow::merge(&mut out, &prints);
                out
            }
            (None, None) => {
                flow::merge(&mut read_prov, &prints);
                read_prov
            }
        }
    }

    /// Applies a command's clipboard steps: a copy keeps what it copies
    /// (with what earlier commands wrote into its files); what a paste
    /// gives comes back.
    fn clipboard_steps(&mut self, mut steps: Vec<commands::ClipboardStep>) -> commands::Pasted {
        for step in &mut steps {
            if let commands::ClipboardStep::Copy { payload, .. } = step {
                self.expand_contents(payload);
            }
        }
        self.clipboard.apply(steps)
    }

    fn run_nested(&mut self, job: Nested, scope: &mut Scope, stdin: Option<&Payload>) -> Payload {
        match job {
            Nested::Argv { argv, env, cwd } => self.run_argv(argv, env, cwd, scope, stdin),
            Nested::Script { text, what } => self.script(&text, scope, stdin, &what),
            Nested::InPlace {
                text,
                what,
                bindings,
            } => {
                for (name, value) in bindings {
                    self.assign(scope, &name, value);
                }
                self.script_in_place(&text, scope, stdin, &what)
            }
            Nested::ShellScript {
                text,
                what,
                args,
                env,
            } => {
                let mut sub = scope.clone();
                for (name, value) in env {
                    self.assign(&mut sub, &name, value);
                    if let Some(var) = sub.vars.get_mut(&name) {
                        var.exported = true;
                    }
                }
                sub.positional_known = args.iter().all(|a| !a.dynamic);
                let mut args = args.into_iter();
                sub.zeroth = args.next();
                sub.positional = args.collect();
                self.script(&text, &sub, stdin, &what)
            }
            Nested::Container {
                argv,
                workdir,
                mounts,
            } => {
                let first = self.out.effects.len();
                let out = self.run_argv(argv, Vec::new(), Some(workdir), scope, stdin);
                let inside: Vec<Effect> = self.out.effects.drain(first..).collect();
                // What the host pipes in (`cat key | docker run -i ...`) is
                // the host's files wherever the command sends it.
                let piped = stdin.map_or(&[][..], |s| s.files.as_slice());
                self.out.effects.extend(
                    inside
                        .into_iter()
                        .filter_map(|e| commands::to_host(e, &mounts, piped)),
                );
                commands::host_payload(out, &mounts, piped)
            }
            Nested::Remote {
                argv,
                hosts,
                cwd,
                stdin: reads_stdin,
            } => {
                // The other host's shell: none of this line's variables.
                let mut there = Scope::new(&cwd);
                let first = self.out.effects.len();
                let input = stdin.filter(|_| reads_stdin);
                let out = self.run_argv(argv, Vec::new(), None, &mut there, input);
                let inside: Vec<Effect> = self.out.effects.drain(first..).collect();
                for effect in inside {
                    let there = commands::remote_effects(effect, &hosts, self.home);
                    self.out.effects.extend(there);
                }
                out
            }
        }
    }

    /// Runs a nested command, in `cwd` when given, within the nesting bound.
    fn run_argv(
        &mut self,
        argv: Vec<Arg>,
        env: Vec<(String, Arg)>,
        cwd: Option<String>,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) -> Payload {
        if self.depth >= MAX_DEPTH {
            return Payload::default();
        }
        self.depth += 1;
        let out = match cwd {
            Some(dir) => {
                let mut sub = scope.clone();
                sub.cwd = dir;
                self.run(argv, env, &mut sub, stdin)
            }
            None => self.run(argv, env, scope, stdin),
        };
        self.depth -= 1;
        out
    }

    /// Keeps what the images built on the line carry, and adds it to the
    /// requests (from `first_effect` on) of a command that pushes one.
    fn image_steps(&mut self, steps: Vec<commands::ImageStep>, first_effect: usize) {
        for step in steps {
            match step {
                commands::ImageStep::Built { image, carries } => {
                    self.images.insert(image, carries);
                }
                commands::ImageStep::Tagged { source, target } => {
                    if let Some(carries) = self.images.get(&source).cloned() {
                        self.images.insert(target, carries);
                    }
                }
                commands::ImageStep::Pushed { image } => {
                    let Some(carries) = self.images.get(&image) else {
                        continue;
                    };
                    for effect in self.out.effects.get_mut(first_effect..).unwrap_or_default() {
                        if let Effect::Request(request) = effect {
                            flow::merge(&mut request.payload, carries);
                        }
                    }
                }
            }
        }
    }

    /// Adds what a local server on the line serves to the requests that
    /// publish its port (`python3 -m http.server 8000 -d out & ngrok http
    /// 8000`), whichever of the two the line starts first.
    fn link_served(
        &mut self,
        first_effect: usize,
        serves: Vec<(u16, Payload)>,
        publishes: Vec<u16>,
    ) {
        self.served.extend(serves);
        for port in publishes {
            for at in first_effect..self.out.effects.len() {
                if matches!(self.out.effects.get(at), Some(Effect::Request(_))) {
                    self.published.push((at, port));
                }
            }
        }
        for (at, port) in &self.published {
            for (served_port, payload) in &self.served {
                if served_port == port
                    && let Some(Effect::Request(request)) = self.out.effects.get_mut(*at)
                {
                    flow::merge(&mut request.payload, payload);
                }
            }
        }
    }

    /// A file's own reference plus what earlier commands wrote into it.
    fn file_provenance(&self, path: &str, recursive: bool) -> Payload {
        let mut payload = flow::file_payload(path.to_owned(), recursive);
        self.expand_contents(&mut payload);
        payload
    }

    /// Adds the known contents of every file in `payload` (archives,
    /// copies); a process substitution's file (`/dev/fd/63`) is no file of
    /// its own, so only its contents stay.
    fn expand_contents(&self, payload: &mut Payload) {
        let mut index = 0;
        let mut descriptors = false;
        // Quoted text stays as written only in the files the payload names
        // itself: one a program made of another file (`envsubst < t.tpl >
        // out`) may hold that text expanded.
        let named_files = payload.files.len();
        let as_written = |mut inner: Payload, index: usize| {
            if index >= named_files {
                inner.quoted.clear();
            }
            inner
        };
        while let Some(file) = payload.files.get(index) {
            if let Some(inner) = self.contents.get(&file.path).cloned() {
                descriptors |= paths::is_special_device(&file.path);
                flow::merge(payload, &as_written(inner, index));
            } else {
                // A glob names the files written that it matches (`for c in
                // /tmp/sp_*`), and a piece's name the pieces `split` wrote.
                let named = self.contents_named(&file.path);
                if file.recursive {
                    // A directory holds the files written into it (`cp .env
                    // dist/.env; tar c dist`): each by its own path, with
                    // what it holds.
                    for (path, inner) in self.contents_under(&file.path) {
                        flow::push_file(
                            payload,
                            crate::FileRef {
                                path,
                                recursive: false,
                                excludes: Vec::new(),
                            },
                        );
                        flow::merge(payload, &as_written(inner, index));
                    }
                }
                for inner in named {
                    flow::merge(payload, &as_written(inner, index));
                }
            }
            index += 1;
            if index > 64 {
                break;
            }
        }
        if descriptors {
            payload.files.retain(|file| {
                !(paths::is_special_device(&file.path) && self.contents.contains_key(&file.path))
            });
        }
    }

    /// The known contents of the files written that `name` (a glob, or one
    /// of a splitter's pieces) names ([`commands::names_written_file`]),
    /// in the order of their paths.
    fn contents_named(&self, name: &str) -> Vec<Payload> {
        let globbed = commands::is_glob(name);
        let mut named: Vec<(&String, &Payload)> = self
            .contents
            .iter()
            .filter(|(path, _)| {
                (globbed || commands::is_glob(path))
                    && *path != name
                    && commands::names_written_file(name, path)
            })
            .collect();
        named.sort_by(|a, b| a.0.cmp(b.0));
        named.into_iter().map(|(_, inner)| inner.clone()).collect()
    }

    /// The known contents of files below `dir`, by path.
    fn contents_under(&self, dir: &str) -> Vec<(String, Payload)> {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        let mut under: Vec<(String, Payload)> = self
            .contents
            .iter()
            .filter(|(path, _)| path.starts_with(&prefix))
            .map(|(path, inner)| (path.clone(), inner.clone()))
            .collect();
        under.sort_by(|a, b| a.0.cmp(&b.0));
        under
    }

    /// The texts of the files below `dir` whose whole text is known, by path.
    fn texts_under(&self, dir: &str) -> Vec<(String, String)> {
        self.contents_under(dir)
            .into_iter()
            .filter_map(|(path, held)| Some((path, stdin_script_text(&held)?)))
            .collect()
    }

    /// The first arm of a `case` whose pattern matches `value`; `None`
    /// when a pattern before it cannot be worked out (an expansion).
    fn matching_case(
        &mut self,
        clause: &ast::CaseClauseCommand,
        value: &str,
        scope: &Scope,
    ) -> Option<usize> {
        for (at, case) in clause.cases.iter().enumerate() {
            for pattern in &case.patterns {
                let pattern = self.expand(&pattern.value, scope);
                if pattern.dynamic {
                    return None;
                }
                if transform::pattern_matches(&pattern.text, value)? {
                    return Some(at);
                }
            }
        }
        None
    }

    /// A file for a process substitution: bash's `/dev/fd/63`, then 62,
    /// ..., one per substitution of the line so their contents stay apart.
    fn process_file(&mut self) -> String {
        const FIRST: usize = 63;
        const COUNT: usize = FIRST - 9;
        let fd = FIRST - self.process_substitutions % COUNT;
        self.process_substitutions += 1;
        format!("/dev/fd/{fd}")
    }

    /// Finishes a command: its redirected writes, then its output process
    /// substitutions, each reading what the command wrote into its file.
    fn finish_command(&mut self, gathered: Redirects, stdout: Payload) -> Payload {
        let Redirects {
            writes,
            sinks,
            process_files,
            ..
        } = gathered;
        if sinks.is_empty() && process_files.is_empty() {
            return self.finish_writes(writes, stdout);
        }
        // `cmd > >(sink)`: the output goes into the sink's file.
        for sink in &sinks {
            if writes
                .iter()
                .any(|w| w.path == sink.path && w.captures_stdout)
            {
                let slot = self.contents.entry(sink.path.clone()).or_default();
                flow::merge(slot, &stdout);
            }
        }
        let printed = (!sinks.is_empty()).then(|| stdout.clone());
        let mut out = self.finish_writes(writes, stdout);
        for sink in sinks {
            let input = match (self.contents.remove(&sink.path), &printed) {
                (Some(written), _) => written,
                (None, Some(printed)) if sink.argument => printed.clone(),
                _ => Payload::default(),
            };
            let mut inner = sink.scope;
            let printed_by_sink = self.compound_list(&sink.list, &mut inner, Some(&input));
            flow::merge(&mut out, &printed_by_sink);
        }
        for path in process_files {
            self.contents.remove(&path);
        }
        out
    }

    fn finish_writes(&mut self, writes: Vec<PendingWrite>, stdout: Payload) -> Payload {
        let captured = writes.iter().any(|w| w.captures_stdout);
        for write in writes {
            // Into a coprocess's input: what it reads.
            let written = if write.captures_stdout {
                &stdout
            } else {
                &Payload::default()
            };
            if self.feed_coprocess(&write.path, written) {
                continue;
            }
            if let Some(target) = paths::network_device(&write.path) {
                // Bash's `> /dev/tcp/HOST/PORT` sends the output there; a
                // descriptor nothing is written to only connects.
                let (method, payload) = if write.captures_stdout {
                    ("SEND", stdout.clone())
                } else {
                    ("CONNECT", Payload::default())
                };
                self.out
                    .effects
                    .push(commands::request("bash", target, method, payload, false));
                continue;
            }
            if let Some(target) = paths::file_share(&write.path) {
                // `> //nas/drop/x` writes the output on that host.
                let payload = if write.captures_stdout {
                    stdout.clone()
                } else {
                    Payload::default()
                };
                self.out
                    .effects
                    .push(commands::request("bash", target, "UPLOAD", payload, false));
                continue;
            }
            if paths::is_special_device(&write.path) {
                continue;
            }
            if write.captures_stdout {
                let slot = self.contents.entry(write.path.clone()).or_default();
                if write.append {
                    flow::merge(slot, &stdout);
                } else {
                    *slot = stdout.clone();
                }
            }
            self.out.effects.push(Effect::Write {
                path: write.path,
                append: write.append,
            });
        }
        if captured { Payload::default() } else { stdout }
    }

    fn redirect(
        &mut self,
        redirect: &ast::IoRedirect,
        scope: &mut Scope,
        gathered: &mut Redirects,
    ) {
        use ast::IoFileRedirectKind as K;
        use ast::IoFileRedirectTarget as T;
        match redirect {
            ast::IoRedirect::File(fd, kind, target) => match target {
                T::Filename(w) => {
                    let path = self.redirect_path(&w.value, scope);
                    let stdout_fd = fd.is_none_or(|n| n == 1);
                    if let Some(n) = fd.filter(|n| *n > 2) {
                        gathered.descriptors.push((n, Some(path.clone())));
                    }
                    match kind {
                        K::Read => self.redirect_input(path, fd.is_none_or(|n| n == 0), gathered),
                        K::Write | K::Clobber => gathered.writes.push(PendingWrite {
                            path,
                            append: false,
                            captures_stdout: stdout_fd,
                        }),
                        K::Append => gathered.writes.push(PendingWrite {
                            path,
                            append: true,
                            captures_stdout: stdout_fd,
                        }),
                        K::ReadAndWrite => {
                            // A socket opened both ways connects once.
                            let socket = paths::network_device(&path).is_some();
                            self.redirect_input(path.clone(), fd.is_none_or(|n| n == 0), gathered);
                            if !socket {
                                gathered.writes.push(PendingWrite {
                                    path,
                                    append: false,
                                    captures_stdout: false,
                                });
                            }
                        }
                        K::DuplicateOutput | K::DuplicateInput => {}
                    }
                }
                T::Duplicate(w) => {
                    // `>&"${NAME[1]}"`, `<&$fd`: the descriptor a variable
                    // the line set holds (a substitution is expanded once,
                    // below, as a path).
                    let variable =
                        w.value.contains('$') && !w.value.contains("$(") && !w.value.contains('`');
                    let expanded = variable
                        .then(|| self.expand(&w.value, scope))
                        .filter(|word| !word.dynamic)
                        .map(|word| word.text);
                    let text = expanded.as_deref().unwrap_or(&w.value);
                    let text = text.trim_end_matches('-');
                    let is_fd = text.chars().all(|c| c.is_ascii_digit());
                    if is_fd {
                        self.duplicate(*fd, kind, text, scope, gathered);
                    } else if matches!(kind, K::DuplicateOutput) {
                        let path = self.redirect_path(&w.value, scope);
                        gathered.writes.push(PendingWrite {
                            path,
                            append: false,
                            captures_stdout: true,
                        });
                    }
                }
                T::Fd(source) => self.duplicate(*fd, kind, &source.to_string(), scope, gathered),
                T::ProcessSubstitution(ast::ProcessSubstitutionKind::Read, sub) => {
                    let mut inner = scope.clone();
                    let out = self.compound_list(&sub.list, &mut inner, None);
                    if matches!(kind, K::Read) && fd.is_none_or(|n| n == 0) {
                        flow::merge(gathered.stdin.get_or_insert_with(Payload::default), &out);
                    }
                }
                // `cmd > >(sink)`: the sink reads what the command writes.
                T::ProcessSubstitution(ast::ProcessSubstitutionKind::Write, sub) => {
                    let path = self.process_file();
                    gathered.writes.push(PendingWrite {
                        path: path.clone(),
                        append: matches!(kind, K::Append),
                        captures_stdout: fd.is_none_or(|n| n == 1),
                    });
                    gathered.sinks.push(ProcessSink {
                        path,
                        list: sub.list.clone(),
                        scope: scope.clone(),
                        argument: false,
                    });
                }
            },
            ast::IoRedirect::HereDocument(_, doc) => {
                let body = if doc.requires_expansion {
                    self.expand_heredoc(&doc.doc.value, scope)
                } else {
                    Arg::literal(&doc.doc.value)
                };
                let mut payload = body.expansions();
                let text = body.text.trim_end_matches('\n');
                if doc.requires_expansion {
                    flow::push_text(&mut payload, text);
                } else {
                    flow::push_quoted(&mut payload, text);
                }
                gathered.stdin = Some(payload);
            }
            ast::IoRedirect::HereString(_, w) => {
                let arg = self.expand(&w.value, scope);
                gathered.stdin = Some(arg.payload());
            }
            ast::IoRedirect::OutputAndError(w, append) => {
                let path = self.redirect_path(&w.value, scope);
                gathered.writes.push(PendingWrite {
                    path,
                    append: *append,
                    captures_stdout: true,
                });
            }
        }
    }

    /// `>&N`, `<&N`, `M>&N`, `N>&-`: a descriptor copied or closed. Output
    /// to a descriptor `exec` or this command opened goes to its path (a
    /// socket sends it); input from a file's descriptor reads that file.
    fn duplicate(
        &mut self,
        fd: Option<ast::IoFd>,
        kind: &ast::IoFileRedirectKind,
        source: &str,
        scope: &Scope,
        gathered: &mut Redirects,
    ) {
        let output = matches!(kind, ast::IoFileRedirectKind::DuplicateOutput);
        let target = fd.unwrap_or(if output { 1 } else { 0 });
        let path = source
            .parse::<ast::IoFd>()
            .ok()
            .and_then(|n| descriptor_path(n, scope, gathered));
        if target > 2 {
            gathered.descriptors.push((target, path.clone()));
        }
        let Some(path) = path else {
            return;
        };
        if output {
            gathered.writes.push(PendingWrite {
                path,
                append: true,
                captures_stdout: target == 1,
            });
        } else if target == 0 && paths::network_device(&path).is_none() {
            self.drain_coprocess(&path);
            gathered.stdin = Some(self.file_provenance(&path, false));
        }
    }

    fn redirect_path(&mut self, raw: &str, scope: &Scope) -> String {
        let mut arg = self.expand(raw, scope);
        if let Some(text) = drives::on_mapped_drive(&arg.text, &scope.drives) {
            arg.text = text;
        }
        // A file share (`> \\\\nas\\drop\\x`) stays one, in `//` form.
        if paths::file_share(&arg.text).is_some() {
            return arg.text.replace('\\', "/");
        }
        paths::resolve(&scope.cwd, self.home, &arg.text)
    }

    fn redirect_input(&mut self, path: String, is_stdin: bool, gathered: &mut Redirects) {
        if paths::is_special_device(&path) {
            // `< /dev/null`: an input known to be empty, in place of
            // what a pipe would have given (a scheduled job's input).
            if is_stdin && path == "/dev/null" {
                gathered.stdin_empty = true;
                gathered.stdin = Some(Payload::default());
            }
            return;
        }
        if let Some(target) = paths::network_device(&path).or_else(|| paths::file_share(&path)) {
            // `< /dev/tcp/HOST/PORT` reads from a connection to HOST, and
            // `< //nas/drop/x` from that host.
            let empty = Payload::default();
            self.out
                .effects
                .push(commands::request("bash", target, "CONNECT", empty, false));
            return;
        }
        let provenance = self.file_provenance(&path, false);
        self.out.effects.push(Effect::Read {
            file: crate::FileRef {
                path,
                recursive: false,
                excludes: Vec::new(),
            },
        });
        if is_stdin {
            gathered.stdin = Some(provenance);
        }
    }

    fn cd(&mut self, args: &[Arg], scope: &mut Scope) {
        let target = args
            .iter()
            .find(|a| !a.text.starts_with('-') || a.text == "-");
        let next = match target.map(|a| a.text.as_str()) {
            None => paths::normalize(self.home),
            Some("-") => match &scope.oldpwd {
                Some(old) => old.clone(),
                None => return,
            },
            Some(dir) => paths::resolve(&scope.cwd, self.home, dir),
        };
        scope.oldpwd = Some(std::mem::replace(&mut scope.cwd, next));
    }

    fn note_program(&mut self, program: &str) {
        if !self.out.programs.iter().any(|p| p == program) {
            self.out.programs.push(program.to_owned());
        }
    }

    /// Shell text run here that the walk cannot see into
    /// ([`crate::Analysis::unparsed`]).
    fn unparsed(&mut self, text: String) {
        if !self.out.unparsed.contains(&text) {
            self.out.unparsed.push(text);
        }
    }

    fn opaque(&mut self, text: String) {
        if !self.out.opaque.contains(&text) {
            self.out.opaque.push(text);
        }
    }

    /// Walks the body of a command or process substitution in a subshell:
    /// what it prints, and its text when the line alone fixes it (`$(printf
    /// '%s.%s' a b)`, `$(echo QUJD | base64 -d)`): only printing commands,
    /// every word known, nothing but text printed.
    fn substitution(
        &mut self,
        list: &ast::CompoundList,
        scope: &Scope,
    ) -> (Payload, Option<String>) {
        let (out, printed) = self.printing_substitution(list, scope);
        match printed {
            Printed::Known(text) => (out, Some(text)),
            Printed::Partly(_) | Printed::Unknown => (out, None),
        }
    }

    /// [`Self::substitution`], and for one `printf`/`echo` given words
    /// whose values are unknown, its text with those values as written
    /// ([`hidden::partly_printed`]).
    fn printing_substitution(
        &mut self,
        list: &ast::CompoundList,
        scope: &Scope,
    ) -> (Payload, Printed) {
        if self.depth >= MAX_DEPTH {
            self.unparsed(format!("substitution nested too deeply: {list}"));
            return (Payload::default(), Printed::Unknown);
        }
        // `$(db_host prod)`: a function that only prints ([`printing_calls`]).
        let call = !is_printing_list(list) && self.is_printing_call(list);
        let printing = call || is_printing_list(list);
        let before = self.dynamic_commands;
        let paths_before = self.undecided_paths;
        self.depth += 1;
        let mut sub = scope.clone();
        let out = self.compound_list(list, &mut sub, None);
        self.depth -= 1;
        let only_text = out.files.is_empty()
            && out.env.is_empty()
            && out.credentials.is_empty()
            && !out.repository
            && out.text.len() <= 1;
        let text = out.text.first().map(String::as_str).unwrap_or_default();
        let printed = if !printing || !only_text {
            Printed::Unknown
        } else if call && self.undecided_paths != paths_before {
            // An arm that may or may not have run printed some of it.
            Printed::Unknown
        } else if self.dynamic_commands != before {
            hidden::partly_printed(list, text).map_or(Printed::Unknown, Printed::Partly)
        } else if text.contains('\\') && (call || list_runs_echo(list)) {
            // A backslash `echo` printed (a function's may have): bash's
            // keeps it, other shells' `echo` decodes it, so the text is
            // not sure. `cat` of a here-document (`"$(cat <<'PS1' ...
            // C:\x ... PS1)"`) and `printf` keep theirs the same in every
            // shell.
            Printed::Unknown
        } else {
            Printed::Known(text.trim_end_matches('\n').to_owned())
        };
        (out, printed)
    }

    /// The name and raw words of `text` when it is one simple command:
    /// no assignments, redirections, pipes or lists.
    pub(super) fn simple_words(&self, text: &str) -> Option<(String, Vec<String>)> {
        let (program, _) = self.parse_nested(text).ok()?;
        let [list] = program.complete_commands.as_slice() else {
            return None;
        };
        let [ast::CompoundListItem(and_or, _)] = list.0.as_slice() else {
            return None;
        };
        let [ast::Command::Simple(simple)] = and_or.first.seq.as_slice() else {
            return None;
        };
        if !and_or.additional.is_empty() || simple.prefix.is_some() {
            return None;
        }
        let name = simple.word_or_name.as_ref()?.value.clone();
        let words = simple
            .suffix
            .iter()
            .flat_map(|s| s.0.iter())
            .map(|item| match item {
                ast::CommandPrefixOrSuffixItem::Word(w) => Some(w.value.clone()),
                _ => None,
            })
            .collect::<Option<_>>()?;
        Some((name, words))
    }

    /// The analyser with the deployment's workspace, absolute and
    /// normalised ([`crate::ShellContext::workspace`]).
    pub(crate) fn with_workspace(mut self, workspace: Option<&'c str>) -> Self {
        self.workspace = workspace;
        self
    }

    /// The repository's root that `git rev-parse --show-toplevel` (after
    /// any `-C DIR`) prints, when the directory it runs in is known to be
    /// in one: a repository the line cloned there (`git clone URL d && cd
    /// d`), or else the deployment's workspace. Unknown elsewhere, and for
    /// other options or a changed repository (`--git-dir`, `GIT_DIR=`).
    fn repository_root(&mut self, inner: &str, scope: &Scope) -> Option<String> {
        if !inner.contains("--show-toplevel") || inner.split_whitespace().next() != Some("git") {
            return None;
        }
        let (name, words) = self.simple_words(inner)?;
        if name != "git" {
            return None;
        }
        let mut dir = scope.cwd.clone();
        let mut words = words.iter();
        loop {
            match words.next().map(String::as_str) {
                Some("-C") => {
                    let operand = self.expand(words.next()?, scope);
                    if operand.dynamic {
                        return None;
                    }
                    // `git -C ""` stays where it is.
                    if !operand.text.is_empty() {
                        dir = paths::resolve(&dir, self.home, &operand.text);
                    }
                }
                Some("--no-pager") => {}
                Some("rev-parse") => break,
                _ => return None,
            }
        }
        if words.map(String::as_str).ne(["--show-toplevel"]) {
            return None;
        }
        // The innermost repository around `dir`: a clone made on the line
        // (a download by git followed by the directory it wrote) or the
        // workspace.
        let cloned = self.out.effects.windows(2).filter_map(|pair| match pair {
            [Effect::Request(r), Effect::Write { path, .. }]
                if r.program == "git" && r.method == "DOWNLOAD" =>
            {
                Some(path.as_str())
            }
            _ => None,
        });
        cloned
            .chain(self.workspace)
            .filter(|root| paths::is_within(&dir, root))
            .max_by_key(|root| root.len())
            .map(str::to_owned)
    }

    /// The path a command substitution prints when it only resolves one
    /// (`realpath X`, `readlink -f X`, `dirname X`, `basename X`) and X is
    /// known.
    fn path_printed(&mut self, inner: &str, scope: &Scope) -> Option<String> {
        let first = inner.split_whitespace().next()?;
        if !matches!(first, "realpath" | "readlink" | "dirname" | "basename") {
            return None;
        }
        let (name, words) = self.simple_words(inner)?;
        if name != first {
            return None;
        }
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let (options, operands): (Vec<&str>, Vec<&str>) =
            words.into_iter().partition(|w| w.starts_with('-'));
        let [operand] = operands.as_slice() else {
            return None;
        };
        if first == "readlink" && !options.iter().any(|o| matches!(*o, "-f" | "-e" | "-m")) {
            return None;
        }
        let operand = self.expand(operand, scope);
        if operand.dynamic {
            return None;
        }
        let path = paths::resolve(&scope.cwd, self.home, &operand.text);
        Some(match first {
            "dirname" => path
                .rsplit_once('/')
                .map_or("/", |(parent, _)| parent)
                .to_owned(),
            "basename" => path.rsplit('/').next().unwrap_or_default().to_owned(),
            _ => path,
        })
        .map(|p| if p.is_empty() { "/".to_owned() } else { p })
    }

    /// Expands one word of a command into the words the shell makes of it:
    /// brace expansion (`d/{a,b,}` is `d/a d/b d/`), the elements of
    /// `"${a[@]}"`, and field splitting of an unquoted expansion whose value
    /// is known (`$c` with `c="rm -rf x"`, on `IFS` when the line sets it).
    fn push_words(&mut self, raw: &str, scope: &Scope, words: &mut Vec<Arg>) {
        if raw.contains('{')
            && let Some(alternatives) = brace_expansion(raw, &self.options)
        {
            for alternative in alternatives {
                self.push_split_words(&alternative, scope, words);
            }
            return;
        }
        self.push_split_words(raw, scope, words);
    }

    fn push_split_words(&mut self, raw: &str, scope: &Scope, words: &mut Vec<Arg>) {
        // Only a word with an expansion splits; it is parsed once here.
        let pieces = if raw.contains('$') || raw.starts_with('`') {
            word::parse(raw, &self.options).ok()
        } else {
            None
        };
        let pieces = pieces.as_deref().unwrap_or_default();
        // A word of unquoted text and unquoted expansions
        // (`curl${IFS}-T${IFS}f`) splits where an expansion put a separator.
        if !raw.starts_with('"')
            && let Some(fields) = self.split_mixed_word(raw, pieces, scope)
        {
            words.extend(fields);
            return;
        }
        // A word that is one expansion (`$c`, `"${a[@]}"`) splits.
        if (raw.starts_with(['$', '`']) || raw.starts_with("\"$"))
            && let [piece] = pieces
        {
            // `"${a[@]}"` and `${a[@]}`: one word per element.
            let quoted_single = match &piece.piece {
                WordPiece::DoubleQuotedSequence(inner) => match inner.as_slice() {
                    [only] => Some(&only.piece),
                    _ => None,
                },
                _ => None,
            };
            // `"$@"`: one word per positional parameter, as given.
            if let Some(WordPiece::ParameterExpansion(ParameterExpr::Parameter {
                parameter:
                    Parameter::Special(word::SpecialParameter::AllPositionalParameters {
                        concatenate: false,
                    }),
                indirect: false,
            })) = quoted_single
                && (!scope.positional.is_empty() || scope.positional_known)
            {
                words.extend(scope.positional.iter().cloned());
                return;
            }
            // `"${@:2}"`, `"${a[@]:1:2}"`: one word per element sliced
            // (`"${*:2}"`: one word of them all); unquoted, each split.
            if let WordPiece::ParameterExpansion(expr) = quoted_single.unwrap_or(&piece.piece)
                && let Some(slice) = self.slice(expr, scope)
            {
                match quoted_single {
                    Some(_) if slice.concatenate => words.push(slice.joined()),
                    Some(_) => words.extend(slice.elements),
                    None => {
                        for element in slice.elements {
                            if element.dynamic {
                                words.push(element);
                            } else {
                                let fields = split_fields(&element.text, ifs(scope));
                                words.extend(fields.iter().map(|f| element.with_text(f)));
                            }
                        }
                    }
                }
                return;
            }
            let array = quoted_single.unwrap_or(&piece.piece);
            if let WordPiece::ParameterExpansion(ParameterExpr::Parameter {
                parameter:
                    Parameter::NamedWithAllIndices {
                        name,
                        concatenate: false,
                    },
                indirect: false,
            }) = array
                && let Some(array) = scope.vars.get(name).and_then(|v| v.array.as_ref())
            {
                words.extend(array.elements.iter().cloned());
                return;
            }
            // `"${!m[@]}"`: one word per key.
            if let WordPiece::ParameterExpansion(ParameterExpr::MemberKeys {
                variable_name,
                concatenate: false,
            }) = array
                && let Some(array) = scope.vars.get(variable_name).and_then(|v| v.array.as_ref())
            {
                words.extend(array.key_words().iter().map(|k| Arg::literal(k)));
                return;
            }
            let unquoted_expansion = matches!(
                piece.piece,
                WordPiece::ParameterExpansion(_)
                    | WordPiece::CommandSubstitution(_)
                    | WordPiece::BackquotedCommandSubstitution(_)
            );
            if unquoted_expansion {
                let arg = self.expand(raw, scope);
                if !arg.dynamic {
                    let fields = split_fields(&arg.text, ifs(scope));
                    words.extend(fields.iter().map(|f| arg.with_text(f)));
                    return;
                }
                words.push(arg);
                return;
            }
        }
        words.push(self.expand(raw, scope));
    }

    /// The fields of a word made of unquoted text and at least two pieces
    /// one of which is an unquoted parameter expansion, when the
    /// expansions' text is known and holds a separator of `IFS` that the
    /// literal text does not: bash splits there.
    fn split_mixed_word(
        &mut self,
        raw: &str,
        pieces: &[WordPieceWithSource],
        scope: &Scope,
    ) -> Option<Vec<Arg>> {
        if pieces.len() < 2 {
            return None;
        }
        let mut literal = String::new();
        let mut expands = false;
        for piece in pieces {
            match &piece.piece {
                WordPiece::Text(text) => literal.push_str(text),
                WordPiece::ParameterExpansion(_) => expands = true,
                _ => return None,
            }
        }
        let separators = ifs(scope);
        if !expands || separators.is_empty() || literal.contains(|c| separators.contains(c)) {
            return None;
        }
        let arg = self.expand(raw, scope);
        if arg.dynamic || !arg.text.contains(|c| separators.contains(c)) {
            return None;
        }
        let fields = split_fields(&arg.text, separators);
        Some(fields.iter().map(|f| arg.with_text(f)).collect())
    }

    /// The key `${a[INDEX]}` names: INDEX expanded, and for an array
    /// without keys worked out as arithmetic (`${a[i+1]}`); `None` when
    /// it is not known.
    fn array_key(&mut self, index: &str, array: &Array, scope: &Scope) -> Option<String> {
        let key = self.expand(index, scope);
        if key.dynamic {
            return None;
        }
        if array.keys.is_some() {
            return Some(key.text);
        }
        let lookup = |name: &str| literal_value(scope, name);
        arith::evaluate(&key.text, &lookup).map(|i| i.to_string())
    }

    fn expand(&mut self, raw: &str, scope: &Scope) -> Arg {
        if is_plain_word(raw) {
            // What `word::parse` gives such a word: one text piece (none when empty).
            return Arg::literal(raw);
        }
        if let Some(text) = quoted_literal(raw) {
            // One quoted piece holding only text.
            return Arg {
                quoted: raw.starts_with('\''),
                ..Arg::literal(text)
            };
        }
        self.expand_parsed(raw, scope)
    }

    /// [`Self::expand`] through brush-parser's word parser, for any word.
    fn expand_parsed(&mut self, raw: &str, scope: &Scope) -> Arg {
        let mut arg = Arg::default();
        match word::parse(raw, &self.options) {
            Ok(pieces) => {
                self.expand_pieces(raw, &pieces, scope, false, &mut arg);
                arg.quoted = matches!(
                    pieces.as_slice(),
                    [piece] if matches!(piece.piece, WordPiece::SingleQuotedText(_))
                );
            }
            Err(_) => arg.text = raw.to_owned(),
        }
        arg
    }

    fn expand_heredoc(&mut self, raw: &str, scope: &Scope) -> Arg {
        let mut arg = Arg::default();
        match word::parse_heredoc(raw, &self.options) {
            Ok(pieces) => self.expand_pieces(raw, &pieces, scope, true, &mut arg),
            Err(_) => arg.text = raw.to_owned(),
        }
        arg
    }

    fn expand_pieces(
        &mut self,
        raw: &str,
        pieces: &[WordPieceWithSource],
        scope: &Scope,
        quoted: bool,
        arg: &mut Arg,
    ) {
        for piece in pieces {
            let source = raw
                .get(piece.start_index..piece.end_index)
                .unwrap_or_default();
            match &piece.piece {
                WordPiece::Text(text) | WordPiece::SingleQuotedText(text) => {
                    arg.text.push_str(text)
                }
                WordPiece::AnsiCQuotedText(text) => {
                    arg.text
                        .push_str(&flow::unescape(text, flow::Escapes::AnsiC).0);
                }
                WordPiece::DoubleQuotedSequence(inner)
                | WordPiece::GettextDoubleQuotedSequence(inner) => {
                    self.expand_pieces(raw, inner, scope, true, arg);
                }
                WordPiece::TildeExpansion(tilde) => match tilde {
                    TildeExpr::Home => arg.text.push_str(self.home),
                    TildeExpr::WorkingDir => arg.text.push_str(&scope.cwd),
                    TildeExpr::OldWorkingDir if scope.oldpwd.is_some() => {
                        arg.text
                            .push_str(scope.oldpwd.as_deref().unwrap_or_default());
                    }
                    // `~user`: this user's home, or a home beside it.
                    TildeExpr::UserHome(user) => {
                        let (parent, own) = self.home.rsplit_once('/').unwrap_or(("", self.home));
                        if own == user {
                            arg.text.push_str(self.home);
                        } else {
                            arg.text.push_str(&format!("{parent}/{user}"));
                        }
                    }
                    _ => arg.text.push_str(source),
                },
                WordPiece::ParameterExpansion(expr) => {
                    self.expand_parameter(expr, source, scope, arg)
                }
                // `$(pwd)` is the working directory.
                WordPiece::CommandSubstitution(inner)
                | WordPiece::BackquotedCommandSubstitution(inner)
                    if matches!(inner.trim(), "pwd" | "pwd -L" | "pwd -P") =>
                {
                    arg.text.push_str(&scope.cwd);
                }
                // `$(command -v curl)`, `$(which curl)`: the program's path.
                WordPiece::CommandSubstitution(inner)
                | WordPiece::BackquotedCommandSubstitution(inner)
                    if let Some(path) = copied_program::lookup_path(inner) =>
                {
                    arg.text.push_str(&path);
                }
                // `$(realpath X)`, `$(dirname X)` and the like: the path they print.
                WordPiece::CommandSubstitution(inner)
                | WordPiece::BackquotedCommandSubstitution(inner)
                    if let Some(path) = self.path_printed(inner, scope) =>
                {
                    arg.text.push_str(&path);
                }
                // `$(git rev-parse --show-toplevel)`: the repository's root,
                // when the directory it runs in is known to be in one.
                WordPiece::CommandSubstitution(inner)
                | WordPiece::BackquotedCommandSubstitution(inner)
                    if let Some(root) = self.repository_root(inner, scope) =>
                {
                    arg.text.push_str(&root);
                }
                // `$(cat F)`, `$(< F)` of files whose text is known: that
                // text, read as `cat F` reads it.
                WordPiece::CommandSubstitution(inner)
                | WordPiece::BackquotedCommandSubstitution(inner)
                    if let Some(text) = self.printed_file_text(inner, scope) =>
                {
                    arg.text.push_str(&text);
                    let cat = printed_file::cat_text(inner).unwrap_or_else(|| inner.clone());
                    let out = self.script(&cat, scope, None, "command substitution");
                    flow::merge(&mut arg.prov, &out);
                }
                WordPiece::CommandSubstitution(inner)
                | WordPiece::BackquotedCommandSubstitution(inner)
                    if self.may_print_known_text(inner) =>
                {
                    match self.parse_nested(inner) {
                        Ok((program, nesting)) if program.complete_commands.len() == 1 => {
                            let list = program.complete_commands.first();
                            self.nesting += nesting;
                            let (out, printed) = list
                                .map(|list| self.printing_substitution(list, scope))
                                .unwrap_or((Payload::default(), Printed::Unknown));
                            self.nesting -= nesting;
                            match printed {
                                Printed::Known(text) => arg.text.push_str(&text),
                                // The known text around the unknown values.
                                Printed::Partly(text) => {
                                    arg.text.push_str(&text);
                                    arg.dynamic = true;
                                    arg.substitutions.push(inner.clone());
                                    flow::merge(&mut arg.prov, &out);
                                }
                                Printed::Unknown => {
                                    arg.text.push_str(source);
                                    arg.dynamic = true;
                                    arg.substitutions.push(inner.clone());
                                    flow::merge(&mut arg.prov, &out);
                                }
                            }
                        }
                        _ => {
                            arg.text.push_str(source);
                            arg.dynamic = true;
                            arg.substitutions.push(inner.clone());
                            let out = self.script(inner, scope, None, "command substitution");
                            flow::merge(&mut arg.prov, &out);
                        }
                    }
                }
                WordPiece::CommandSubstitution(inner)
                | WordPiece::BackquotedCommandSubstitution(inner) => {
                    arg.text.push_str(source);
                    arg.dynamic = true;
                    arg.substitutions.push(inner.clone());
                    // `$(< f)` is bash's `$(cat f)`.
                    let inner = match inner.trim_start().strip_prefix('<') {
                        Some(file) if !file.starts_with(['<', '(']) => {
                            format!("cat {}", file.trim())
                        }
                        _ => inner.clone(),
                    };
                    let out = self.script(&inner, scope, None, "command substitution");
                    flow::merge(&mut arg.prov, &out);
                }
                WordPiece::EscapeSequence(text) => {
                    let escaped = text.strip_prefix('\\').unwrap_or(text);
                    let keeps_backslash =
                        quoted && !escaped.starts_with(['$', '`', '"', '\\', '\n']);
                    if keeps_backslash {
                        arg.text.push_str(text);
                    } else if escaped != "\n" {
                        arg.text.push_str(escaped);
                    }
                }
                WordPiece::ArithmeticExpression(expr) => {
                    let lookup = |name: &str| literal_value(scope, name);
                    match arith::evaluate(&expr.value, &lookup) {
                        Some(value) => arg.text.push_str(&value.to_string()),
                        None => {
                            arg.text.push_str(source);
                            arg.dynamic = true;
                        }
                    }
                }
            }
        }
    }

    fn expand_parameter(
        &mut self,
        expr: &ParameterExpr,
        source: &str,
        scope: &Scope,
        arg: &mut Arg,
    ) {
        // `${!T}` with `T=NAME`, and `$R` of a name reference to NAME:
        // the variable NAME.
        if let Some(target) = indirect_target(expr, scope).or_else(|| nameref_target(expr, scope)) {
            let direct = ParameterExpr::Parameter {
                parameter: Parameter::Named(target.clone()),
                indirect: false,
            };
            return self.expand_parameter(&direct, &format!("${{{target}}}"), scope, arg);
        }
        // `${X:+word}` of an X whose value the line fixes.
        if self.alternative_value(expr, scope, arg) {
            return;
        }
        // `--${@:2}`: a slice within a word, its elements joined.
        if let Some(slice) = self.slice(expr, scope) {
            let joined = slice.joined();
            arg.text.push_str(&joined.text);
            absorb(arg, &joined);
            return;
        }
        // `$X`, and `${X:-d}`, `${X:=d}`, `${X:?}`, which are `$X` when it
        // is set (as `HOME` and `PWD` always are).
        let plain = matches!(
            expr,
            ParameterExpr::Parameter {
                indirect: false,
                ..
            } | ParameterExpr::UseDefaultValues {
                indirect: false,
                ..
            } | ParameterExpr::AssignDefaultValues {
                indirect: false,
                ..
            } | ParameterExpr::IndicateErrorIfNullOrUnset {
                indirect: false,
                ..
            }
        );
        // `$#` of a script or function given known words.
        if let ParameterExpr::Parameter {
            parameter: Parameter::Special(word::SpecialParameter::PositionalParameterCount),
            indirect: false,
        } = expr
            && scope.positional_known
        {
            arg.text.push_str(&scope.positional.len().to_string());
            return;
        }
        // `$1`, and `${1:?usage}`, which is `$1` when it was given.
        if let ParameterExpr::Parameter {
            parameter,
            indirect: false,
        }
        | ParameterExpr::IndicateErrorIfNullOrUnset {
            parameter,
            indirect: false,
            ..
        } = expr
            && let Some(values) = positional_values(parameter, scope)
        {
            let texts: Vec<&str> = values.iter().map(|v| v.text.as_str()).collect();
            arg.text.push_str(&texts.join(" "));
            for value in values {
                absorb(arg, value);
            }
            return;
        }
        // `$3` of a call given two known words: not set, so empty.
        if let ParameterExpr::Parameter {
            parameter: Parameter::Positional(n),
            indirect: false,
        } = expr
            && *n >= 1
            && scope.positional_known
        {
            return;
        }
        // `${1#*=}`, `${1%%.*}` of an argument the line gave.
        if let parameter @ Parameter::Positional(n) = expr_parameter(expr)
            && *n >= 1
            && let Some([value]) = positional_values(parameter, scope)
            && !value.dynamic
            && let Some(text) = transform::apply(expr, &value.text)
        {
            arg.text.push_str(&text);
            absorb(arg, value);
            return;
        }
        // `${1:-d}`: the argument when it was given (and, for `:-`, is not
        // empty), else d. A function called without it, or the command
        // line itself (run with no arguments), has none.
        if let parameter @ Parameter::Positional(n) = expr_parameter(expr)
            && *n >= 1
            && let Some(default) = default_word(expr, false)
        {
            match positional_values(parameter, scope) {
                Some(values)
                    if default_word(expr, true).is_none()
                        || values.iter().any(|v| !v.text.is_empty() || v.dynamic) =>
                {
                    let texts: Vec<&str> = values.iter().map(|v| v.text.as_str()).collect();
                    arg.text.push_str(&texts.join(" "));
                    for value in values {
                        absorb(arg, value);
                    }
                }
                _ => {
                    let value = self.expand(default, scope);
                    arg.text.push_str(&value.text);
                    absorb(arg, &value);
                }
            }
            return;
        }
        let Some(name) = parameter_name(expr) else {
            arg.text.push_str(source);
            arg.dynamic = true;
            return;
        };
        // `${#a[@]}`, `${#x}`: a length, which carries nothing of the value.
        if matches!(expr, ParameterExpr::ParameterLength { .. }) && scope.vars.contains_key(name) {
            arg.text.push_str(source);
            arg.dynamic = true;
            return;
        }
        // `${a[0]}`: that element of an array the line assigned.
        if let ParameterExpr::Parameter {
            parameter: Parameter::NamedWithIndex { index, .. },
            indirect: false,
        } = expr
            && let Some(array) = scope.vars.get(name).and_then(|v| v.array.clone())
        {
            match self
                .array_key(index, &array, scope)
                .and_then(|key| array.get(&key))
            {
                Some(element) => {
                    arg.text.push_str(&element.text);
                    absorb(arg, element);
                }
                None => {
                    arg.text.push_str(source);
                    arg.dynamic = true;
                    for element in &array.elements {
                        absorb(arg, element);
                    }
                }
            }
            return;
        }
        // `${t:1:7}`, `${t#x}`, `${t^^}` of a value the line set.
        if let Parameter::Named(_) = expr_parameter(expr)
            && let Some(var) = scope.vars.get(name)
            && let Some(literal) = &var.literal
            && let Some(text) = transform::apply(expr, literal)
        {
            arg.text.push_str(&text);
            absorb(arg, &var.value);
            return;
        }
        if let Some(var) = scope.vars.get(name) {
            match (&var.literal, plain) {
                // `${X:-d}` of an X the line set empty is d.
                (Some(literal), true) if literal.is_empty() => {
                    if let Some(default) = default_word(expr, true) {
                        let value = self.expand(default, scope);
                        arg.text.push_str(&value.text);
                        absorb(arg, &value);
                    }
                }
                (Some(literal), true) => arg.text.push_str(literal),
                // `tag="reg.example/api:$(git rev-parse HEAD)"`: what is
                // known of it (the host), with the substitution's text.
                (None, true) if !var.value.substitutions.is_empty() => {
                    arg.text.push_str(&var.value.text);
                    arg.dynamic = true;
                }
                _ => {
                    arg.text.push_str(source);
                    arg.dynamic = true;
                }
            }
            absorb(arg, &var.value);
            return;
        }
        if plain && name == "HOME" {
            arg.text.push_str(self.home);
        } else if plain && name == "IFS" {
            // Unset by the line, IFS is bash's default.
            arg.text.push_str(DEFAULT_IFS);
        } else if plain && name == "PWD" {
            arg.text.push_str(&scope.cwd);
        } else if let Some(default) = default_word(expr, false) {
            // `${X:-d}` of an X the line never set (or unset): d, the value
            // the command was written to fall back on. X stays among the
            // environment it reads.
            let value = self.expand(default, scope);
            arg.text.push_str(&value.text);
            absorb(arg, &value);
            if !arg.env.iter().any(|e| e == name) {
                arg.env.push(name.to_owned());
            }
        } else {
            arg.text.push_str(source);
            arg.dynamic = true;
            if !arg.env.iter().any(|e| e == name) {
                arg.env.push(name.to_owned());
            }
        }
    }
}

/// The fallback word of `${X:-d}` / `${X:=d}` (and `${X-d}`, `${X=d}`
/// unless `only_when_null`, which asks about an X that is set but empty).
fn default_word(expr: &ParameterExpr, only_when_null: bool) -> Option<&str> {
    use brush_parser::word::ParameterTestType;
    let (test_type, default) = match expr {
        ParameterExpr::UseDefaultValues {
            indirect: false,
            test_type,
            default_value,
            ..
        }
        | ParameterExpr::AssignDefaultValues {
            indirect: false,
            test_type,
            default_value,
            ..
        } => (test_type, default_value.as_deref()),
        _ => return None,
    };
    if only_when_null && !matches!(test_type, ParameterTestType::UnsetOrNull) {
        return None;
    }
    Some(default.unwrap_or(""))
}

/// The field separators: the line's `IFS`, else bash's default.
fn ifs(scope: &Scope) -> &str {
    scope
        .vars
        .get("IFS")
        .and_then(|v| v.literal.as_deref())
        .unwrap_or(DEFAULT_IFS)
}

/// The value of the variable `name` when the line set it to known text.
fn literal_value(scope: &Scope, name: &str) -> Option<String> {
    scope.vars.get(name)?.literal.clone()
}

/// Bash's `IFS` when nothing sets it.
const DEFAULT_IFS: &str = " \t\n";

/// `trap [--] ACTION SIGNAL...`: ACTION runs when the shell exits (`EXIT`,
/// `0`) or gets a signal (`INT`, `SIGTERM`, `ERR`, ...); `trap - SIGNAL`
/// and `trap SIGNAL` reset it and `trap '' SIGNAL` ignores it, so nothing
/// runs; `trap -p` and `trap -l` only print.
fn set_trap(traps: &mut Vec<(String, String)>, args: &[Arg]) {
    let args = match args.split_first() {
        Some((first, rest)) if first.text == "--" => rest,
        _ => args,
    };
    let (action, signals) = match args {
        [] => return,
        [only] => (None, std::slice::from_ref(only)),
        [first, rest @ ..] if first.text == "-" => (None, rest),
        [first, ..] if first.text.starts_with('-') => return,
        [first, rest @ ..] => (Some(first), rest),
    };
    for signal in signals {
        let name = signal.text.to_ascii_uppercase();
        let name = name.strip_prefix("SIG").unwrap_or(&name);
        let name = if name == "0" { "EXIT" } else { name };
        traps.retain(|(set, _)| set != name);
        if let Some(action) = action.filter(|a| !a.text.trim().is_empty()) {
            traps.push((name.to_owned(), action.text.clone()));
        }
    }
}

/// The path descriptor `n` is open on: as this command's redirections
/// left it, else as `exec` left it; `None` when closed or never opened.
fn descriptor_path(n: ast::IoFd, scope: &Scope, gathered: &Redirects) -> Option<String> {
    if let Some((_, path)) = gathered.descriptors.iter().rev().find(|(fd, _)| *fd == n) {
        return path.clone();
    }
    scope
        .descriptors
        .iter()
        .find(|(fd, _)| *fd == n)
        .map(|(_, path)| path.clone())
}

/// Makes the descriptors a command's redirections opened or closed the
/// shell's own (`exec 3>PATH`, `exec 3>&-`).
fn open_descriptors(scope: &mut Scope, changes: &[(ast::IoFd, Option<String>)]) {
    for (fd, path) in changes {
        scope.descriptors.retain(|(n, _)| n != fd);
        if let Some(path) = path {
            scope.descriptors.push((*fd, path.clone()));
        }
    }
}

/// True when a process substitution and a word next to it are written
/// without a space between them. A word's span is taken from its end and
/// its text: brush-parser may start it at the blank before it.
fn touch(left: &ast::CommandPrefixOrSuffixItem, right: &ast::CommandPrefixOrSuffixItem) -> bool {
    use ast::CommandPrefixOrSuffixItem as I;
    let span = |item: &I| match item {
        I::Word(w) => {
            let end = w.loc.as_ref()?.end.index;
            Some((end.checked_sub(w.value.chars().count())?, end))
        }
        // From its `<` or `>` to its `)`.
        I::ProcessSubstitution(_, sub) => {
            Some((sub.loc.start.index.checked_sub(1)?, sub.loc.end.index))
        }
        _ => None,
    };
    let substitution = |item: &I| matches!(item, I::ProcessSubstitution(..));
    (substitution(left) || substitution(right))
        && matches!((span(left), span(right)), (Some((_, end)), Some((start, _))) if end == start)
}

/// Adds `part`'s env references and provenance to `into`.
fn absorb(into: &mut Arg, part: &Arg) {
    for name in &part.env {
        if !into.env.contains(name) {
            into.env.push(name.clone());
        }
    }
    flow::merge(&mut into.prov, &part.prov);
    into.substitutions
        .extend(part.substitutions.iter().cloned());
    into.dynamic |= part.dynamic;
}

/// Programs whose output is their arguments or their input, so known
/// words make known text; text transformers too (see
/// [`flow::transformed_stdout`]), and jq, whose output its handler
/// computes when the line fixes its filter and input (see [`JQ`]).
const PRINTING_PROGRAMS: &[&str] = &["echo", "printf", "cat", "jq", "gojq", "jaq"];

/// What a command substitution prints, as far as the line fixes it.
enum Printed {
    /// All of it.
    Known(String),
    /// Its text with the values the walk does not know as written
    /// (`curl -d host=$(hostname)`).
    Partly(String),
    Unknown,
}

/// jq and its clones: what they print is known only when their handler
/// computed it (`commands/files/jq.rs`).
const JQ: &[&str] = &["jq", "gojq", "jaq"];

fn is_printing_program(program: &str) -> bool {
    PRINTING_PROGRAMS.contains(&program) || flow::is_text_transformer(program)
}

/// One pipeline of printing programs (`echo X | base64 -d`), with words,
/// here-strings and here-documents only: no assignments, other
/// redirections or other commands.
fn is_printing_list(list: &ast::CompoundList) -> bool {
    let [ast::CompoundListItem(and_or, _)] = list.0.as_slice() else {
        return false;
    };
    and_or.additional.is_empty()
        && and_or.first.seq.iter().all(|command| {
            matches!(command, ast::Command::Simple(simple) if is_printing_command(simple))
        })
}

/// A printing program ([`is_printing_program`]) given words, here-strings
/// and here-documents only: no assignments or other redirections.
fn is_printing_command(simple: &ast::SimpleCommand) -> bool {
    let named = simple
        .word_or_name
        .as_ref()
        .is_some_and(|w| is_printing_program(&w.value));
    let plain_suffix = simple.suffix.iter().flat_map(|s| s.0.iter()).all(|item| {
        // A suffix word with `=` (`echo Zm9v=`) parses as an assignment.
        matches!(
            item,
            ast::CommandPrefixOrSuffixItem::Word(_)
                | ast::CommandPrefixOrSuffixItem::AssignmentWord(..)
                | ast::CommandPrefixOrSuffixItem::IoRedirect(
                    ast::IoRedirect::HereString(..) | ast::IoRedirect::HereDocument(..)
                )
        )
    });
    named && simple.prefix.is_none() && plain_suffix
}

/// Whether a printing list runs `echo`, whose handling of backslashes
/// differs between shells.
fn list_runs_echo(list: &ast::CompoundList) -> bool {
    list.0.iter().any(|ast::CompoundListItem(and_or, _)| {
        std::iter::once(&and_or.first)
            .chain(and_or.additional.iter().map(|op| match op {
                ast::AndOr::And(p) | ast::AndOr::Or(p) => p,
            }))
            .flat_map(|pipeline| pipeline.seq.iter())
            .any(|command| {
                matches!(command, ast::Command::Simple(simple)
                    if simple.word_or_name.as_ref().is_some_and(|w| w.value == "echo"))
            })
    })
}

/// The script a shell runs or `source` reads from a process substitution
/// whose text is known (`bash <(printf ...)`, `. <(echo ...)`), or from
/// standard input named as a file (`... | source /dev/stdin`, `bash
/// /dev/fd/0`) when that is text the line fixes, with the arguments after
/// it (`$0` first).
fn known_script_operand(
    program: &str,
    args: &[Arg],
    stdin: Option<&Payload>,
) -> Option<(String, Vec<Arg>)> {
    if !matches!(
        program,
        "sh" | "bash" | "dash" | "zsh" | "ksh" | "source" | "."
    ) || shell_noexec(program, args)
    {
        return None;
    }
    let sourcing = matches!(program, "source" | ".");
    // `bash -s ARGS...`: the script is standard input, every word an argument.
    let mut script_on_stdin = false;
    // After `--`, words are operands (`bash -s -- -c prod`).
    let mut options_ended = false;
    let mut words = args.iter().enumerate();
    while let Some((index, word)) = words.next() {
        let text = word.text.as_str();
        if !options_ended {
            if matches!(text, "-o" | "+o" | "-O" | "+O") {
                words.next();
                continue;
            }
            if text == "--" {
                options_ended = true;
                continue;
            }
            if text.starts_with("--") {
                continue;
            }
            if text.len() > 1 && text.starts_with(['-', '+']) {
                if text.contains('c') {
                    return None;
                }
                script_on_stdin |= !sourcing && text.starts_with('-') && text.contains('s');
                continue;
            }
        }
        if script_on_stdin {
            let mut rest = vec![Arg::literal(program)];
            rest.extend(args.iter().skip(index).cloned());
            return Some((stdin_script_text(stdin?)?, rest));
        } else {
            let reads_stdin = matches!(text, "/dev/stdin" | "/dev/fd/0" | "/proc/self/fd/0")
                || (text == "-" && !sourcing);
            let script = if reads_stdin && !word.dynamic {
                stdin_script_text(stdin?)?
            } else if text.starts_with("/dev/fd/") && !word.dynamic && word.substitutions.len() == 1
            {
                word.prov.text.first().cloned().unwrap_or_default()
            } else {
                return None;
            };
            let mut rest = vec![Arg::literal(text)];
            rest.extend(args.iter().skip(index + 1).cloned());
            return Some((script, rest));
        }
    }
    None
}

/// True when a shell is started with `-n` (`-o noexec`; fish's
/// `--no-execute`) among its options: it only parses its script (a
/// syntax check), running none of it.
fn shell_noexec(program: &str, args: &[Arg]) -> bool {
    match program {
        "sh" | "bash" | "dash" | "zsh" | "ksh" | "ash" | "mksh" | "yash" => noexec_option(args),
        "fish" => args
            .iter()
            .take_while(|a| a.text.starts_with('-'))
            .any(|a| a.text == "--no-execute" || is_option_cluster(&a.text, 'n')),
        _ => false,
    }
}

/// True when options of a shell or of `set` (those before the first
/// operand or `--`) turn `noexec` on, the last word for it winning: `-n`
/// in a cluster (`-nx`), `-o noexec`; `+n` and `+o noexec` turn it off.
fn noexec_option(args: &[Arg]) -> bool {
    shell_option(args, 'n', "noexec") == Some(true)
}

/// What `set`'s (or a shell's) options leave one option at: on for
/// `-L` (in a cluster, `-eL`) or `-o NAME`, off for `+L` or `+o NAME`,
/// the last one winning; `None` when they do not name it.
fn shell_option(args: &[Arg], letter: char, name: &str) -> Option<bool> {
    let mut state = None;
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if word.dynamic || text == "--" || text == "-" || !text.starts_with(['-', '+']) {
            break;
        }
        let on = text.starts_with('-');
        if matches!(text, "-o" | "+o") {
            if words.next().is_some_and(|option| option.text == name) {
                state = Some(on);
            }
        } else if matches!(text, "-O" | "+O") {
            words.next();
        } else if !text.starts_with("--") && is_option_cluster(text, letter) {
            state = Some(on);
        }
    }
    state
}

/// `-abc` (or `+abc`): letters only, `letter` among them.
fn is_option_cluster(text: &str, letter: char) -> bool {
    let letters = text.get(1..).unwrap_or_default();
    !letters.is_empty()
        && letters.chars().all(|c| c.is_ascii_alphabetic())
        && letters.contains(letter)
}

/// A script read from standard input, when that is only text the line
/// fixes (as a shell reading its script from a pipe, `wrappers::shell`);
/// so is a file's script, when the file holds only such text.
fn stdin_script_text(stdin: &Payload) -> Option<String> {
    let only_text = stdin.files.is_empty()
        && stdin.env.is_empty()
        && stdin.credentials.is_empty()
        && !stdin.repository
        && !stdin.text.is_empty();
    only_text.then(|| stdin.text.join("\n"))
}

/// The program a script's `#!` line runs it with: its basename, or the
/// program `env` runs (`#!/usr/bin/env -S python3 -u` is `python3`).
fn shebang_interpreter(text: &str) -> Option<String> {
    let line = text.lines().next()?.strip_prefix("#!")?;
    let mut words = line.split_whitespace();
    let first = paths::basename(words.next()?);
    if first != "env" {
        return Some(first.to_owned());
    }
    words
        .find(|w| !w.starts_with('-') && !w.contains('='))
        .map(|w| paths::basename(w).to_owned())
}

/// How many words one brace expansion may make; a larger one stays as
/// written.
const MAX_BRACE_WORDS: usize = 64;

/// The words a word with brace expressions stands for (`a{b,c}d` is
/// `abd acd`, `{1..3}` is `1 2 3`), in bash's order, empty ones dropped;
/// `None` when it has none or makes too many.
fn brace_expansion(raw: &str, options: &ParserOptions) -> Option<Vec<String>> {
    use word::BraceExpressionOrText as B;
    let pieces = word::parse_brace_expansions(raw, options).ok()??;
    if !pieces.iter().any(|p| matches!(p, B::Expr(_))) {
        return None;
    }
    let words = brace_words(&pieces)?;
    Some(words.into_iter().filter(|w| !w.is_empty()).collect())
}

fn brace_words(pieces: &[word::BraceExpressionOrText]) -> Option<Vec<String>> {
    use word::{BraceExpressionMember as M, BraceExpressionOrText as B};
    let mut words = vec![String::new()];
    for piece in pieces {
        let alternatives: Vec<String> = match piece {
            B::Text(text) => vec![text.clone()],
            B::Expr(members) => {
                let mut all = Vec::new();
                for member in members {
                    match member {
                        M::Child(inner) => all.extend(brace_words(inner)?),
                        M::NumberSequence {
                            start,
                            end,
                            increment,
                        } => all.extend(sequence(*start, *end, *increment)?.map(|n| n.to_string())),
                        M::CharSequence {
                            start,
                            end,
                            increment,
                        } => all.extend(
                            sequence(
                                i64::from(u32::from(*start)),
                                i64::from(u32::from(*end)),
                                *increment,
                            )?
                            .filter_map(|n| u32::try_from(n).ok().and_then(char::from_u32))
                            .map(String::from),
                        ),
                    }
                    if all.len() > MAX_BRACE_WORDS {
                        return None;
                    }
                }
                all
            }
        };
        if words.len() * alternatives.len() > MAX_BRACE_WORDS {
            return None;
        }
        words = words
            .iter()
            .flat_map(|prefix| alternatives.iter().map(move |alt| format!("{prefix}{alt}")))
            .collect();
    }
    Some(words)
}

/// The values of `{start..end..increment}`, when there are few enough.
fn sequence(start: i64, end: i64, increment: i64) -> Option<impl Iterator<Item = i64>> {
    let step = usize::try_from(increment.checked_abs()?.max(1)).ok()?;
    let count = usize::try_from(start.abs_diff(end)).ok()? / step + 1;
    if count > MAX_BRACE_WORDS {
        return None;
    }
    let up = end >= start;
    let step = i64::try_from(step).ok()?;
    Some((0..i64::try_from(count).ok()?).map(move |i| {
        if up {
            start + i * step
        } else {
            start - i * step
        }
    }))
}

/// Bash's field splitting of an expansion's value on `IFS`: runs of IFS
/// whitespace separate fields and are trimmed at the ends; each other IFS
/// character ends one field (so `a,,b` on `,` is `a`, ``, `b`).
fn split_fields(text: &str, ifs: &str) -> Vec<String> {
    if ifs.is_empty() {
        return vec![text.to_owned()];
    }
    let is_space = |c: char| ifs.contains(c) && c.is_whitespace();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = text.trim_matches(is_space).chars().peekable();
    let mut open = false;
    while let Some(c) = chars.next() {
        if !ifs.contains(c) {
            field.push(c);
            open = true;
            continue;
        }
        // One separator: IFS whitespace around at most one other IFS character.
        let mut hard = !is_space(c);
        while let Some(&next) = chars.peek() {
            if is_space(next) {
                chars.next();
            } else if !hard && ifs.contains(next) {
                hard = true;
                chars.next();
            } else {
                break;
            }
        }
        fields.push(std::mem::take(&mut field));
        open = false;
    }
    if open {
        fields.push(field);
    }
    fields
}

/// The words of a loop condition that is one simple command of
/// `program` (`read -r line`, `getopts ab: opt`), as written.
fn loop_condition_words<'a>(
    condition: &'a ast::CompoundList,
    program: &str,
) -> Option<Vec<&'a str>> {
    let [ast::CompoundListItem(and_or, _)] = condition.0.as_slice() else {
        return None;
    };
    if !and_or.additional.is_empty() {
        return None;
    }
    let [ast::Command::Simple(simple)] = and_or.first.seq.as_slice() else {
        return None;
    };
    if simple.word_or_name.as_ref().map(|w| w.value.as_str()) != Some(program) {
        return None;
    }
    Some(
        simple
            .suffix
            .iter()
            .flat_map(|s| s.0.iter())
            .filter_map(|item| match item {
                ast::CommandPrefixOrSuffixItem::Word(w) => Some(w.value.as_str()),
                _ => None,
            })
            .collect(),
    )
}

/// The words after `getopts` when a loop's condition is only a getopts
/// call: the option string, the variable, and any arguments given.
fn getopts_words(condition: &ast::CompoundList) -> Option<Vec<&str>> {
    loop_condition_words(condition, "getopts").filter(|words| words.len() >= 2)
}

/// POSIX getopts over `args` with the option string `spec`: each option
/// in order with its argument (`?` for one the string does not name or
/// that lacks its argument), and the index of the first operand, counted
/// from one (OPTIND). Options end at `--`, `-` or the first operand.
fn getopts(spec: &str, args: &[&str]) -> (Vec<(String, Option<String>)>, usize) {
    let spec = spec.strip_prefix(':').unwrap_or(spec);
    let mut options = Vec::new();
    let mut index = 0;
    while let Some(arg) = args.get(index) {
        if *arg == "--" {
            index += 1;
            break;
        }
        let Some(letters) = arg.strip_prefix('-').filter(|l| !l.is_empty()) else {
            break;
        };
        index += 1;
        for (at, letter) in letters.char_indices() {
            let takes_argument = spec
                .find(letter)
                .filter(|_| letter != ':')
                .map(|found| spec[found + letter.len_utf8()..].starts_with(':'));
            match takes_argument {
                None => options.push(("?".to_owned(), None)),
                Some(false) => options.push((letter.to_string(), None)),
                Some(true) => {
                    let attached = &letters[at + letter.len_utf8()..];
                    let argument = if attached.is_empty() {
                        let next = args.get(index).map(|a| (*a).to_owned());
                        index += usize::from(next.is_some());
                        next
                    } else {
                        Some(attached.to_owned())
                    };
                    match argument {
                        Some(argument) => options.push((letter.to_string(), Some(argument))),
                        None => options.push(("?".to_owned(), None)),
                    }
                    break;
                }
            }
        }
    }
    (options, index + 1)
}

/// The variable of a loop condition that is one `read [-r] VAR`.
fn read_loop_variable(condition: &ast::CompoundList) -> Option<String> {
    let words: Vec<&str> = loop_condition_words(condition, "read")?
        .into_iter()
        .filter(|w| !w.starts_with('-'))
        .collect();
    match words.as_slice() {
        [name] if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => {
            Some((*name).to_owned())
        }
        _ => None,
    }
}

/// A command name that is only a lookup of a program (`$(which python3)`,
/// `` `command -v curl` ``, `$(echo curl)`): that program.
fn looked_up_program(name: &Arg) -> Option<Arg> {
    let [inner] = name.substitutions.as_slice() else {
        return None;
    };
    let whole = name
        .text
        .strip_prefix("$(")
        .and_then(|t| t.strip_suffix(')'))
        .or_else(|| {
            name.text
                .strip_prefix('`')
                .and_then(|t| t.strip_suffix('`'))
        });
    if whole.map(str::trim) != Some(inner.trim()) {
        return None;
    }
    let words: Vec<&str> = inner.split_whitespace().collect();
    let program = match words.as_slice() {
        ["which" | "echo" | "printf", program] => *program,
        ["command", "-v" | "-V", program] | ["type", "-p" | "-P", program] => *program,
        _ => return None,
    };
    let program = program.trim_matches(['"', '\'']);
    (!program.is_empty() && !program.contains(['$', '`', '('])).then(|| Arg {
        dynamic: false,
        substitutions: Vec::new(),
        ..name.with_text(program)
    })
}

/// Whether a word is all the positional parameters (`"$@"`, `$@`, `"$*"`,
/// `$*`, `${@}`).
fn is_all_positional(raw: &str) -> bool {
    matches!(raw.trim_matches('"'), "$@" | "$*" | "${@}" | "${*}")
}

/// The arguments `$0`, `$1`, `$@` and `$*` stand for, when known.
fn positional_values<'s>(parameter: &Parameter, scope: &'s Scope) -> Option<&'s [Arg]> {
    match parameter {
        Parameter::Positional(0) | Parameter::Special(word::SpecialParameter::ShellName) => {
            scope.zeroth.as_ref().map(std::slice::from_ref)
        }
        Parameter::Positional(n) if *n >= 1 => {
            let index = usize::try_from(*n).ok()?.checked_sub(1)?;
            scope.positional.get(index..=index)
        }
        Parameter::Special(word::SpecialParameter::AllPositionalParameters { .. })
            if !scope.positional.is_empty() || scope.positional_known =>
        {
            Some(&scope.positional)
        }
        _ => None,
    }
}

/// The array a `declare` word's `(...)` gives: its words, and the keys
/// of `[k]=v` words (`declare -A m=([stg]=a [prd]=b)`).
fn declared_array(arg: &Arg, inner: &str) -> Array {
    let mut array = Array::default();
    let mut keys = Vec::new();
    for word in inner.split_whitespace() {
        let keyed = word.strip_prefix('[').and_then(|w| w.split_once("]="));
        match keyed {
            Some((key, value)) => {
                keys.push(key.to_owned());
                array.elements.push(arg.with_text(value));
            }
            None => {
                keys.push(array.elements.len().to_string());
                array.elements.push(arg.with_text(word));
            }
        }
    }
    if inner
        .split_whitespace()
        .any(|w| w.starts_with('[') && w.contains("]="))
    {
        array.keys = Some(keys);
    }
    array
}

fn assignment_name(name: &ast::AssignmentName) -> String {
    match name {
        ast::AssignmentName::VariableName(n) | ast::AssignmentName::ArrayElementName(n, _) => {
            n.clone()
        }
    }
}

/// The variable bash's indirect expansion `${!T}` (or `${!T:-d}`, ...)
/// reads: the name `T` holds, when the line gave `T` a literal value that
/// is a variable name.
/// The variable that `$R`/`${R}` of a name reference R stands for.
fn nameref_target(expr: &ParameterExpr, scope: &Scope) -> Option<String> {
    let ParameterExpr::Parameter {
        parameter: Parameter::Named(name),
        indirect: false,
    } = expr
    else {
        return None;
    };
    let var = scope.vars.get(name).filter(|v| v.nameref)?;
    let target = var.literal.as_deref()?;
    let is_name = target.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && target
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && target != name;
    is_name.then(|| target.to_owned())
}

fn indirect_target(expr: &ParameterExpr, scope: &Scope) -> Option<String> {
    use ParameterExpr as P;
    let (P::Parameter {
        parameter: Parameter::Named(name),
        indirect: true,
    }
    | P::UseDefaultValues {
        parameter: Parameter::Named(name),
        indirect: true,
        ..
    }
    | P::AssignDefaultValues {
        parameter: Parameter::Named(name),
        indirect: true,
        ..
    }
    | P::IndicateErrorIfNullOrUnset {
        parameter: Parameter::Named(name),
        indirect: true,
        ..
    }) = expr
    else {
        return None;
    };
    let target = scope.vars.get(name)?.literal.as_deref()?;
    let is_name = target.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && target
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    is_name.then(|| target.to_owned())
}

/// The variable a parameter expression reads, when it names one.
fn parameter_name(expr: &ParameterExpr) -> Option<&str> {
    match expr_parameter(expr) {
        Parameter::Named(name)
        | Parameter::NamedWithIndex { name, .. }
        | Parameter::NamedWithAllIndices { name, .. } => Some(name),
        Parameter::Positional(_) | Parameter::Special(_) => None,
    }
}

/// The parameter an expansion reads (`${#x}`, `${x:1}`: `x`); a name list
/// (`${!pre*}`, `${!a[@]}`) reads none, and is taken as `$0`.
fn expr_parameter(expr: &ParameterExpr) -> &Parameter {
    use ParameterExpr as P;
    const NONE: &Parameter = &Parameter::Positional(0);
    match expr {
        P::Parameter { parameter, .. }
        | P::UseDefaultValues { parameter, .. }
        | P::AssignDefaultValues { parameter, .. }
        | P::IndicateErrorIfNullOrUnset { parameter, .. }
        | P::UseAlternativeValue { parameter, .. }
        | P::ParameterLength { parameter, .. }
        | P::RemoveSmallestSuffixPattern { parameter, .. }
        | P::RemoveLargestSuffixPattern { parameter, .. }
        | P::RemoveSmallestPrefixPattern { parameter, .. }
        | P::RemoveLargestPrefixPattern { parameter, .. }
        | P::Substring { parameter, .. }
        | P::Transform { parameter, .. }
        | P::UppercaseFirstChar { parameter, .. }
        | P::UppercasePattern { parameter, .. }
        | P::LowercaseFirstChar { parameter, .. }
        | P::LowercasePattern { parameter, .. }
        | P::ReplaceSubstring { parameter, .. } => parameter,
        P::VariableNames { .. } | P::MemberKeys { .. } => NONE,
    }
}

#[cfg(test)]
mod plain_word_tests {
    use super::*;

    /// The shortcut in `expand` agrees with brush-parser.
    #[test]
    fn plain_words_parse_to_their_own_text() {
        let options = ParserOptions::default();
        let words = [
            "",
            "-X",
            "POST",
            "https://hooks.analytics-co.io/ingest?a=b&c=d",
            "@-",
            "data/report.json",
            ".rows",
            "a:b:c",
            "KEY=value",
            "*.pem",
            "{a,b}",
            "@(x|y)",
            "!(x)",
            "[ab]?",
            "=~",
            "x=",
            "-d@file",
            "日本語",
        ];
        for raw in words.into_iter().filter(|w| is_plain_word(w)) {
            let pieces = word::parse(raw, &options).unwrap();
            let text: String = pieces
                .iter()
                .map(|p| match &p.piece {
                    WordPiece::Text(t) => t.clone(),
                    other => panic!("{raw:?} gave {other:?}"),
                })
                .collect();
            assert!(pieces.len() <= 1, "{raw:?} gave {pieces:?}");
            assert_eq!(text, raw);
        }
        for raw in ["~", "~/x", "a~b", "$x", "'a'", "\"a\"", "a\\b", "`x`"] {
            assert!(!is_plain_word(raw), "{raw:?}");
        }
    }

    /// `expand`'s shortcuts (plain words, quoted literals) give what the
    /// word parser gives, on words built from quotes, expansions and text.
    #[test]
    fn shortcut_expansions_equal_parsed_ones() {
        let pieces = [
            "", "a", "-X", "~", "/x", ".rows", "'", "\"", "$", "`", "\\", " ", "$X", "$(id)",
            "${H}", "@(x|y)", "*.pem", "{a,b}", "=", ":", "\\n", "!", "#", "\u{e9}",
        ];
        let scope = Scope::new("/w");
        let mut analyzer = Analyzer::new("/h", 0);
        let (mut words, mut quick) = (0, 0);
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for raw in [
                        format!("{a}{b}{c}"),
                        format!("'{a}{b}{c}'"),
                        format!("\"{a}{b}{c}\""),
                        format!("'{a}'{b}\"{c}\""),
                    ] {
                        let short = analyzer.expand(&raw, &scope);
                        let long = analyzer.expand_parsed(&raw, &scope);
                        assert_eq!(short, long, "{raw:?}");
                        words += 1;
                        quick += usize::from(is_plain_word(&raw) || quoted_literal(&raw).is_some());
                    }
                }
            }
        }
        assert!(quick > words / 4, "{quick} of {words} took a shortcut");
        assert_eq!(quoted_literal("'a b'"), Some("a b"));
        assert_eq!(quoted_literal("\"a: b\""), Some("a: b"));
        assert_eq!(quoted_literal("\"$a\""), None);
        assert_eq!(quoted_literal("'a'b'"), None);
    }
}

#[cfg(test)]
mod partial_view_tests {
    use crate::{Effect, ShellContext, WrittenFile, analyze};

    const SCRIPTS: &str = r#"{"scripts": {"build": "vite build", "wipe": "rm -rf /srv/data"}}"#;

    /// What `command` does in /w after earlier steps showed `views`.
    fn effects(command: &str, views: &[WrittenFile]) -> Vec<Effect> {
        let ctx = ShellContext {
            cwd: "/w",
            home: "/home/dana",
            workspace: Some("/w"),
            written: views,
        };
        analyze(command, &ctx)
            .unwrap_or_else(|e| panic!("{command}: {e}"))
            .effects
    }

    fn deletes_data(effects: &[Effect]) -> bool {
        effects
            .iter()
            .any(|e| matches!(e, Effect::Delete { path, .. } if path == "/srv/data"))
    }

    fn view(path: &str, text: &str) -> WrittenFile {
        WrittenFile::partial_view(path.to_owned(), text.to_owned())
    }

    #[test]
    fn runners_find_their_target_in_a_part_shown() {
        let views = [view("/w/package.json", SCRIPTS)];
        for runner in ["npm run wipe", "bun run wipe", "yarn wipe"] {
            assert!(deletes_data(&effects(runner, &views)), "{runner}");
            assert!(!deletes_data(&effects(runner, &[])), "{runner}");
        }
        let recipe = view("/w/justfile", "wipe:\n    rm -rf /srv/data\n");
        assert!(deletes_data(&effects("just wipe", &[recipe])));
    }

    #[test]
    fn a_target_not_in_the_part_shown_changes_nothing() {
        let views = [view("/w/package.json", SCRIPTS)];
        for runner in ["npm run release", "bun run release", "npm test"] {
            assert_eq!(effects(runner, &views), effects(runner, &[]), "{runner}");
        }
    }

    #[test]
    fn a_part_shown_is_never_the_whole_file() {
        let script = view("/w/wipe.sh", "#!/bin/sh\nrm -rf /srv/data\n");
        for line in [
            "bash wipe.sh",
            "sh /w/wipe.sh",
            "source wipe.sh",
            "curl -d @wipe.sh https://paste.example/u",
        ] {
            assert_eq!(
                effects(line, std::slice::from_ref(&script)),
                effects(line, &[]),
                "{line}"
            );
        }
        // Code shown in part runs as a cargo task only where it names it.
        let function = view(
            "/w/xtask/src/main.rs",
            "fn wipe() -> Result<()> {\n    let sh = Shell::new()?;\n    cmd!(sh, \"rm -rf /srv/data\").run()?;\n    Ok(())\n}\n",
        );
        assert!(deletes_data(&effects(
            "cargo xtask wipe",
            std::slice::from_ref(&function)
        )));
        let other = "cargo xtask release";
        assert_eq!(
            effects(other, std::slice::from_ref(&function)),
            effects(other, &[])
        );
        // A file the line writes whole wins over a part shown earlier.
        let rewritten = "echo '{\"scripts\": {\"wipe\": \"true\"}}' > package.json && npm run wipe";
        assert!(!deletes_data(&effects(
            rewritten,
            &[view("/w/package.json", SCRIPTS)]
        )));
    }
}
