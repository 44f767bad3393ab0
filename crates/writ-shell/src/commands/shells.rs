//! zsh and fish, read as the bash text that does the same for the walk.
//!
//! Claude Code on macOS runs its Bash tool's commands in the user's shell,
//! often zsh, and agents run `zsh -c '...'` and `fish -c '...'`. Neither is
//! bash: zsh has glob qualifiers (`*(.N)`), `=(cmd)` temporary files,
//! parameter flags (`${(f)var}`), anonymous functions (`() { ... } args`),
//! short loops (`for x (a b) { ... }`, `repeat N { ... }`) and `{ cmd }`
//! groups without a closing `;`; fish has `set -x NAME value`, `(cmd)`
//! substitutions, `and`/`or`/`not`, `begin`/`if`/`for`/`function` blocks
//! closed by `end`, `$status` and `string`. [`zsh_to_bash`] and
//! [`fish_to_bash`] rewrite each into bash text whose commands, arguments,
//! substitutions and redirections are the ones the shell runs, so the walk
//! reads them as it reads bash. [`zsh_or_fish_line`] tells a line bash
//! cannot parse that is zsh's or fish's.

/// The shell a line that bash cannot parse is written for, as the command
/// that runs it: fish's when a statement starts with one of fish's own
/// words (`end`, `and`, `or`, `begin`, `set -x`, `else`), zsh's when the
/// zsh reading changes the text.
pub(crate) fn zsh_or_fish_line(command: &str) -> Option<&'static str> {
    if fish_statement(command) {
        return Some("fish -c");
    }
    (zsh_to_bash(command) != command).then_some("zsh -c")
}

/// Whether a statement of `command` starts with a word only fish uses.
fn fish_statement(command: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut starts = vec![0];
    for (at, c) in command.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, ';' | '\n' | '|' | '&') => starts.push(at + 1),
            _ => {}
        }
    }
    starts.iter().any(|&at| {
        let mut words = command.get(at..).unwrap_or("").split_whitespace();
        match words.next() {
            Some("end" | "and" | "or" | "begin" | "else") => true,
            Some("set") => words.next().is_some_and(|w| {
                w.len() > 1
                    && w.starts_with('-')
                    && w[1..].chars().all(|c| "gxlUuaepSq".contains(c))
            }),
            _ => false,
        }
    })
}

// ---------------------------------------------------------------- zsh

/// What an open `{` or `${` is, so that its `}` is written as bash needs.
#[derive(Clone, Copy, PartialEq)]
enum Frame {
    /// `${name...}`, kept.
    Param,
    /// `${(f)"$(cmd)"}`: the flags and braces dropped around the value.
    Strip,
    /// `{a,b}` or `{}`: a word's braces.
    Brace,
    /// `{ cmd }`: a group, closed with `; }`.
    Group,
    /// The body of an anonymous function, run at once when it closes.
    Anon,
    /// The body of a short loop (`for x (a b) { }`), closed with `; done`.
    Loop,
}

/// Characters of zsh's glob qualifiers (`(.N)`, `(/)`, `(om[1,5])`,
/// `(Lk+10)`, `(^@)`).
const QUALIFIERS: &str = "./@=p*%rwxAIERWXsStfedlUGugamcLNDnoOkKM^-+:[],0123456789 ";

/// The name the anonymous functions are given.
const ANON: &str = "_zsh_anonymous";

/// zsh text as bash text (see the module's documentation).
pub(crate) fn zsh_to_bash(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut stack: Vec<Frame> = Vec::new();
    let mut double = false;
    let mut pending: Option<Frame> = None;
    let mut for_header = false;
    let mut word_glob = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let word_start = prev.is_none_or(|p| p.is_whitespace() || ";|&(){}<>".contains(p));
        if word_start && !matches!(prev, Some(')' | '}')) {
            word_glob = false;
        }
        let next = chars.get(i + 1).copied();
        match c {
            '\\' => {
                out.push(c);
                if let Some(n) = next {
                    out.push(n);
                }
                i += 2;
                continue;
            }
            '\'' if !double => {
                let ansi = prev == Some('$');
                out.push(c);
                i += 1;
                while let Some(&d) = chars.get(i) {
                    out.push(d);
                    i += 1;
                    if ansi && d == '\\' {
                        if let Some(&e) = chars.get(i) {
                            out.push(e);
                            i += 1;
                        }
                    } else if d == '\'' {
                        break;
                    }
                }
                continue;
            }
            '"' => {
                double = !double;
                out.push(c);
            }
            '$' if next == Some('{') => {
                if chars.get(i + 2) == Some(&'(') {
                    let close = matching(&chars, i + 2, '(', ')').unwrap_or(i + 2);
                    let after = chars.get(close + 1).copied();
                    if matches!(after, Some('"' | '$')) {
                        stack.push(Frame::Strip);
                    } else {
                        out.push_str("${");
                        stack.push(Frame::Param);
                    }
                    i = close + 1;
                    continue;
                }
                out.push_str("${");
                stack.push(Frame::Param);
                i += 2;
                continue;
            }
            '}' => {
                let frame = if double {
                    match stack.last() {
                        Some(Frame::Param | Frame::Strip) => stack.pop(),
                        _ => None,
                    }
                } else {
                    stack.pop()
                };
                match frame {
                    Some(Frame::Strip) => {}
                    Some(Frame::Group | Frame::Anon | Frame::Loop) => {
                        let last = out.trim_end().chars().last();
                        if !matches!(last, Some(';' | '\n' | '&' | '{')) {
                            out.truncate(out.trim_end().len());
                            out.push(';');
                        } else if last == Some('{') {
                            out.push_str(" :;");
                        }
                        match frame {
                            Some(Frame::Loop) => out.push_str(" done"),
                            Some(Frame::Anon) => {
                                out.push_str(" }; ");
                                out.push_str(ANON);
                            }
                            _ => out.push_str(" }"),
                        }
                    }
                    _ => out.push('}'),
                }
            }
            _ if double => out.push(c),
            '{' if word_start && next.is_none_or(char::is_whitespace) => {
                let frame = pending.take().unwrap_or(Frame::Group);
                out.push_str(if frame == Frame::Loop { "do" } else { "{" });
                stack.push(frame);
            }
            '{' => {
                out.push(c);
                stack.push(Frame::Brace);
            }
            ';' | '\n' if for_header => {
                for_header = false;
                out.push(c);
                let rest = skip_blank(&chars, i + 1);
                if chars.get(rest) == Some(&'{') {
                    pending = Some(Frame::Loop);
                    out.push(' ');
                    i = rest;
                    continue;
                }
            }
            '<' if word_start
                && command_start(&out)
                && next.is_some_and(|n| !"<>(&".contains(n))
                && bare_redirection(&chars, i + 1) =>
            {
                // A command that is only `< file` prints the file
                // (`$READNULLCMD`), as `$(< file)` does in bash.
                out.push_str("cat <");
            }
            '=' if word_start && next == Some('(') => {
                out.push('<');
            }
            '(' if word_start
                && command_start(&out)
                && next == Some(')')
                && chars.get(skip_blank(&chars, i + 2)) == Some(&'{') =>
            {
                out.push_str(ANON);
                out.push_str("() ");
                pending = Some(Frame::Anon);
                i = skip_blank(&chars, i + 2);
                continue;
            }
            '(' if !word_start && prev.is_some_and(|p| !"$<>=@!+?".contains(p)) => {
                let close = matching(&chars, i, '(', ')');
                let inner: String = match close {
                    Some(close) => chars[i + 1..close].iter().collect(),
                    None => String::new(),
                };
                let end = close.map(|c| c + 1).unwrap_or(i);
                let word_end = chars
                    .get(end)
                    .is_none_or(|&e| e.is_whitespace() || ";|&)}\"".contains(e));
                if close.is_some() && inner.contains('|') && !inner.contains(' ') {
                    out.push('{');
                    out.push_str(&inner.replace('|', ","));
                    out.push('}');
                    word_glob = true;
                    i = end;
                    continue;
                }
                if close.is_some()
                    && word_end
                    && !inner.is_empty()
                    && inner.chars().all(|q| QUALIFIERS.contains(q))
                {
                    i = end;
                    continue;
                }
                out.push(c);
            }
            '~' if word_glob && prev.is_some_and(|p| !p.is_whitespace()) => {
                // extendedglob's exclusion (`*.ts~*.test.*`): the files
                // the pattern names are among those before it.
                while chars
                    .get(i)
                    .is_some_and(|&e| !e.is_whitespace() && !";|&)".contains(e))
                {
                    if chars[i] == '(' {
                        i = matching(&chars, i, '(', ')').unwrap_or(i) + 1;
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            'f' if word_start && command_start(&out) && keyword(&chars, i, "for") => {
                let name_at = skip_blank(&chars, i + 3);
                let mut name_end = name_at;
                while chars
                    .get(name_end)
                    .is_some_and(|c| c.is_alphanumeric() || *c == '_')
                {
                    name_end += 1;
                }
                let name: String = chars[name_at..name_end].iter().collect();
                let list_at = skip_blank(&chars, name_end);
                if !name.is_empty()
                    && chars.get(list_at) == Some(&'(')
                    && let Some(close) = matching(&chars, list_at, '(', ')')
                {
                    let items: String = chars[list_at + 1..close].iter().collect();
                    out.push_str("for ");
                    out.push_str(&name);
                    out.push_str(" in ");
                    out.push_str(&zsh_to_bash(&items));
                    out.push_str("; ");
                    let rest = skip_blank(&chars, close + 1);
                    if chars.get(rest) == Some(&'{') {
                        pending = Some(Frame::Loop);
                    }
                    i = rest;
                    continue;
                }
                for_header = true;
                out.push(c);
            }
            'r' if word_start && command_start(&out) && keyword(&chars, i, "repeat") => {
                let count_at = skip_blank(&chars, i + 6);
                let mut count_end = count_at;
                while chars
                    .get(count_end)
                    .is_some_and(|c| !c.is_whitespace() && !";{".contains(*c))
                {
                    count_end += 1;
                }
                let count: String = chars[count_at..count_end].iter().collect();
                out.push_str("for _zsh_repeat in $(seq ");
                out.push_str(&count);
                out.push_str("); ");
                let rest = skip_blank(&chars, count_end);
                if chars.get(rest) == Some(&'{') {
                    pending = Some(Frame::Loop);
                } else if chars.get(rest) == Some(&';') {
                    i = rest + 1;
                    continue;
                }
                i = rest;
                continue;
            }
            _ => {
                if matches!(c, '*' | '?' | '[') {
                    word_glob = true;
                }
                out.push(c);
            }
        }
        i += 1;
    }
    out
}

/// Whether the command from `at` (just after a `<`) is one file name and
/// nothing more.
fn bare_redirection(chars: &[char], at: usize) -> bool {
    let mut i = skip_blank(chars, at);
    let start = i;
    while chars
        .get(i)
        .is_some_and(|c| !c.is_whitespace() && !";|&)".contains(*c))
    {
        i += 1;
    }
    i > start
        && chars
            .get(skip_blank(chars, i))
            .is_none_or(|c| ";|&)\n".contains(*c))
}

/// Whether `word` is at `at` as a whole word.
fn keyword(chars: &[char], at: usize, word: &str) -> bool {
    let len = word.chars().count();
    chars
        .get(at..at + len)
        .is_some_and(|w| w.iter().copied().eq(word.chars()))
        && chars.get(at + len).is_none_or(|c| c.is_whitespace())
}

/// Whether what was written so far ends where a command starts.
fn command_start(out: &str) -> bool {
    let trimmed = out.trim_end();
    trimmed.is_empty()
        || trimmed.ends_with([';', '\n', '&', '|', '{', '('])
        || [" do", " then", " else"]
            .iter()
            .any(|k| trimmed.ends_with(k) || trimmed == k.trim_start())
}

/// The first index at or after `at` that is not a space or tab.
fn skip_blank(chars: &[char], mut at: usize) -> usize {
    while chars.get(at).is_some_and(|c| *c == ' ' || *c == '\t') {
        at += 1;
    }
    at
}

/// The index of the `close` matching the `open` at `at`, past quotes.
fn matching(chars: &[char], at: usize, open: char, close: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut i = at;
    while let Some(&c) = chars.get(i) {
        match quote {
            Some(q) if c == q => quote = None,
            Some('"') if c == '\\' => i += 1,
            Some(_) => {}
            None if c == '\\' => i += 1,
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == open => depth += 1,
            None if c == close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            None => {}
        }
        i += 1;
    }
    None
}

// ---------------------------------------------------------------- fish

/// A word of fish text: as written (for keywords) and as bash text.
struct Word {
    raw: String,
    bash: String,
}

/// What ends a fish statement.
enum Token {
    Word(Word),
    /// `;` or a new line.
    End,
    /// `|`, `&&`, `||` or `&`.
    Op(&'static str),
}

/// The blocks fish closes with `end`.
#[derive(Clone, Copy, PartialEq)]
enum Block {
    Begin,
    If,
    Loop,
    Function,
    Switch { cased: bool },
}

/// fish text as bash text (see the module's documentation).
pub(crate) fn fish_to_bash(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut writer = FishWriter::default();
    let mut words: Vec<Word> = Vec::new();
    for token in fish_tokens(&chars) {
        match token {
            Token::Word(word) => words.push(word),
            Token::End => {
                writer.statement(std::mem::take(&mut words));
                if writer.pending.is_none() && writer.started {
                    writer.pending = Some(";");
                }
            }
            Token::Op(op) => {
                writer.statement(std::mem::take(&mut words));
                if op == "&" {
                    writer.pending = Some("&");
                } else {
                    writer.out.push(' ');
                    writer.out.push_str(op);
                    writer.out.push(' ');
                    writer.pending = None;
                }
            }
        }
    }
    writer.statement(words);
    writer.out
}

#[derive(Default)]
struct FishWriter {
    out: String,
    stack: Vec<Block>,
    /// The separator owed before the next statement.
    pending: Option<&'static str>,
    /// `then` or `do`, owed once a condition or loop header ends.
    awaiting: Option<&'static str>,
    /// Just after `{`, `then`, `do`, `else` or a case's pattern.
    block_start: bool,
    started: bool,
}

impl FishWriter {
    /// Writes the owed separator before a statement (`join` false for
    /// `end`/`else`, which close what came before).
    fn separate(&mut self, closing: bool) {
        let pending = self.pending.take();
        if let Some(word) = self.awaiting.take() {
            self.out.push_str("; ");
            self.out.push_str(word);
            self.out.push(' ');
            self.block_start = true;
        } else if pending == Some("&") {
            self.out.push_str(" & ");
        } else if self.block_start {
            self.out.push(' ');
        } else if pending.is_some() || closing {
            self.out.push_str("; ");
        }
        if closing && self.block_start {
            self.out.push_str(":; ");
        }
        self.block_start = false;
    }

    fn statement(&mut self, mut words: Vec<Word>) {
        if words.is_empty() {
            return;
        }
        let first = words[0].raw.clone();
        match first.as_str() {
            "and" | "or" => {
                words.remove(0);
                if self.pending.is_some() {
                    self.pending = None;
                    self.out
                        .push_str(if first == "and" { " && " } else { " || " });
                }
                self.body(words);
                return;
            }
            "end" => {
                self.separate(true);
                let closing = match self.stack.pop() {
                    Some(Block::If) => "fi",
                    Some(Block::Loop) => "done",
                    Some(Block::Switch { cased }) => {
                        if cased {
                            self.out.push_str(";; ");
                        }
                        "esac"
                    }
                    _ => "}",
                };
                self.out.push_str(closing);
                self.started = true;
                words.remove(0);
                if !words.is_empty() {
                    // `end > file` and the like: a redirection of the block.
                    for word in words {
                        self.out.push(' ');
                        self.out.push_str(&word.bash);
                    }
                }
                return;
            }
            "else" => {
                self.separate(true);
                words.remove(0);
                if words.first().is_some_and(|w| w.raw == "if") {
                    words.remove(0);
                    self.out.push_str("elif ");
                    self.write_words(&words);
                    self.awaiting = Some("then");
                } else {
                    self.out.push_str("else");
                    self.block_start = true;
                    self.body(words);
                }
                return;
            }
            "case" if matches!(self.stack.last(), Some(Block::Switch { .. })) => {
                self.pending = None;
                self.block_start = false;
                if let Some(Block::Switch { cased }) = self.stack.last_mut() {
                    if *cased {
                        self.out.push_str(";; ");
                    } else {
                        self.out.push(' ');
                    }
                    *cased = true;
                }
                let patterns: Vec<&str> = words[1..].iter().map(|w| w.bash.as_str()).collect();
                self.out.push_str(&patterns.join("|"));
                self.out.push(')');
                self.block_start = true;
                return;
            }
            _ => {}
        }
        self.separate(false);
        self.body(words);
    }

    /// A statement's words after its separator.
    fn body(&mut self, mut words: Vec<Word>) {
        self.started = true;
        let Some(first) = words.first().map(|w| w.raw.clone()) else {
            return;
        };
        match first.as_str() {
            "not" | "!" => {
                words.remove(0);
                self.out.push_str("! ");
                self.body(words);
            }
            "begin" => {
                words.remove(0);
                self.out.push('{');
                self.stack.push(Block::Begin);
                self.block_start = true;
                if !words.is_empty() {
                    self.separate(false);
                    self.body(words);
                }
            }
            "if" | "while" => {
                words.remove(0);
                self.out.push_str(&first);
                self.out.push(' ');
                self.stack.push(if first == "if" {
                    Block::If
                } else {
                    Block::Loop
                });
                self.body(words);
                self.awaiting = Some(if first == "if" { "then" } else { "do" });
            }
            "for" => {
                self.write_words(&words);
                self.stack.push(Block::Loop);
                self.awaiting = Some("do");
            }
            "function" => {
                let name = words.get(1).map(|w| w.bash.clone()).unwrap_or_default();
                self.out.push_str(&name);
                self.out.push_str("() {");
                self.stack.push(Block::Function);
                self.block_start = true;
            }
            "switch" => {
                let value = words.get(1).map(|w| w.bash.clone()).unwrap_or_default();
                self.out.push_str("case ");
                self.out.push_str(&value);
                self.out.push_str(" in");
                self.stack.push(Block::Switch { cased: false });
            }
            "set" => self.out.push_str(&fish_set(&words)),
            "string" => self.out.push_str(&fish_string(&words)),
            "command" if words.get(1).is_some_and(|w| w.raw == "-q") => {
                let names: Vec<&str> = words[2..].iter().map(|w| w.bash.as_str()).collect();
                self.out.push_str("command -v ");
                self.out.push_str(&names.join(" "));
                self.out.push_str(" >/dev/null");
            }
            _ => self.write_words(&words),
        }
    }

    fn write_words(&mut self, words: &[Word]) {
        let text: Vec<&str> = words.iter().map(|w| w.bash.as_str()).collect();
        self.out.push_str(&text.join(" "));
    }
}

/// `set [options] NAME VALUES...` as bash's assignment, export or unset.
fn fish_set(words: &[Word]) -> String {
    let mut export = false;
    let mut erase = false;
    let mut query = false;
    let mut append = false;
    let mut prepend = false;
    let mut rest = words.iter().skip(1).peekable();
    while let Some(word) = rest.peek() {
        let raw = word.raw.as_str();
        if raw == "--" {
            rest.next();
            break;
        }
        if let Some(long) = raw.strip_prefix("--") {
            match long {
                "export" => export = true,
                "erase" => erase = true,
                "query" => query = true,
                "append" => append = true,
                "prepend" => prepend = true,
                _ => {}
            }
        } else if let Some(short) = raw.strip_prefix('-').filter(|s| !s.is_empty()) {
            export |= short.contains('x');
            erase |= short.contains('e');
            query |= short.contains('q');
            append |= short.contains('a');
            prepend |= short.contains('p');
        } else {
            break;
        }
        rest.next();
    }
    let Some(name) = rest.next() else {
        return ":".to_owned();
    };
    let name = name.bash.split('[').next().unwrap_or("").to_owned();
    let values: Vec<&str> = rest.map(|w| w.bash.as_str()).collect();
    if erase {
        return format!("unset {name}");
    }
    if query {
        return format!("test -n \"${{{name}+x}}\"");
    }
    let assignment = match (append, prepend, values.as_slice()) {
        (true, _, _) => format!("{name}+=({})", values.join(" ")),
        (_, true, _) => format!("{name}=({} \"${{{name}[@]}}\")", values.join(" ")),
        (_, _, []) if export => return format!("export {name}"),
        (_, _, []) => format!("{name}=()"),
        (_, _, [one]) => format!("{name}={one}"),
        (_, _, many) => format!("{name}=({})", many.join(" ")),
    };
    match (export, values.len()) {
        (true, 1) if !append && !prepend => format!("export {assignment}"),
        (true, _) => format!("{assignment}; export {name}"),
        _ => assignment,
    }
}

/// `string SUBCOMMAND ...`: the text it prints, from its arguments or
/// passed through from standard input.
fn fish_string(words: &[Word]) -> String {
    let Some(sub) = words.get(1).map(|w| w.raw.as_str()) else {
        return "cat".to_owned();
    };
    let operands: Vec<&Word> = words[2..]
        .iter()
        .filter(|w| !w.raw.starts_with('-') || w.raw == "-")
        .collect();
    let skip = match sub {
        "match" | "split" | "join" => 1,
        "replace" => 2,
        _ => 0,
    };
    let strings: Vec<&str> = operands
        .iter()
        .skip(skip)
        .map(|w| w.bash.as_str())
        .collect();
    if strings.is_empty() {
        "cat".to_owned()
    } else {
        format!("printf '%s\\n' {}", strings.join(" "))
    }
}

/// Splits fish text into words and separators.
fn fish_tokens(chars: &[char]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut raw = String::new();
    let mut bash = String::new();
    let mut in_word = false;
    let flush =
        |tokens: &mut Vec<Token>, raw: &mut String, bash: &mut String, in_word: &mut bool| {
            if *in_word {
                tokens.push(Token::Word(Word {
                    raw: std::mem::take(raw),
                    bash: std::mem::take(bash),
                }));
                *in_word = false;
            }
        };
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        match c {
            ' ' | '\t' => flush(&mut tokens, &mut raw, &mut bash, &mut in_word),
            '\\' if next == Some('\n') => {
                i += 2;
                continue;
            }
            '#' if !in_word => {
                while chars.get(i).is_some_and(|c| *c != '\n') {
                    i += 1;
                }
                continue;
            }
            ';' | '\n' => {
                flush(&mut tokens, &mut raw, &mut bash, &mut in_word);
                tokens.push(Token::End);
            }
            '|' if next == Some('|') => {
                flush(&mut tokens, &mut raw, &mut bash, &mut in_word);
                tokens.push(Token::Op("||"));
                i += 2;
                continue;
            }
            '|' => {
                flush(&mut tokens, &mut raw, &mut bash, &mut in_word);
                tokens.push(Token::Op("|"));
            }
            '&' if next == Some('&') => {
                flush(&mut tokens, &mut raw, &mut bash, &mut in_word);
                tokens.push(Token::Op("&&"));
                i += 2;
                continue;
            }
            '&' if next != Some('>') && prev != Some('>') => {
                flush(&mut tokens, &mut raw, &mut bash, &mut in_word);
                tokens.push(Token::Op("&"));
            }
            _ => {
                in_word = true;
                i = fish_word_part(chars, i, &mut raw, &mut bash);
                continue;
            }
        }
        i += 1;
    }
    flush(&mut tokens, &mut raw, &mut bash, &mut in_word);
    tokens
}

/// Reads one part of a word at `at` (a quoted string, a substitution, a
/// variable or a character) into `raw` and `bash`; returns where it ends.
fn fish_word_part(chars: &[char], at: usize, raw: &mut String, bash: &mut String) -> usize {
    let c = chars[at];
    match c {
        '\\' => {
            raw.push(c);
            bash.push(c);
            if let Some(&n) = chars.get(at + 1) {
                raw.push(n);
                bash.push(n);
            }
            at + 2
        }
        '\'' => {
            let mut i = at + 1;
            let mut text = String::new();
            while let Some(&d) = chars.get(i) {
                i += 1;
                match d {
                    '\'' => break,
                    '\\' if matches!(chars.get(i), Some('\'' | '\\')) => {
                        text.push(chars[i]);
                        i += 1;
                    }
                    _ => text.push(d),
                }
            }
            raw.push_str(&text);
            bash.push('\'');
            bash.push_str(&text.replace('\'', "'\\''"));
            bash.push('\'');
            i
        }
        '"' => {
            let mut i = at + 1;
            bash.push('"');
            while let Some(&d) = chars.get(i) {
                match d {
                    '"' => {
                        i += 1;
                        break;
                    }
                    '\\' => {
                        bash.push(d);
                        if let Some(&e) = chars.get(i + 1) {
                            bash.push(e);
                            raw.push(e);
                        }
                        i += 2;
                    }
                    '`' => {
                        bash.push_str("\\`");
                        raw.push(d);
                        i += 1;
                    }
                    '$' => i = fish_variable(chars, i, raw, bash),
                    _ => {
                        bash.push(d);
                        raw.push(d);
                        i += 1;
                    }
                }
            }
            bash.push('"');
            i
        }
        '(' => fish_substitution(chars, at, raw, bash),
        '$' => fish_variable(chars, at, raw, bash),
        '`' => {
            raw.push(c);
            bash.push_str("\\`");
            at + 1
        }
        _ => {
            raw.push(c);
            bash.push(c);
            at + 1
        }
    }
}

/// `(cmd)` at `at` as `$(cmd)`, its text read as fish.
fn fish_substitution(chars: &[char], at: usize, raw: &mut String, bash: &mut String) -> usize {
    let Some(close) = matching(chars, at, '(', ')') else {
        raw.push('(');
        bash.push_str("\\(");
        return at + 1;
    };
    let inner: String = chars[at + 1..close].iter().collect();
    raw.push('(');
    raw.push_str(&inner);
    raw.push(')');
    bash.push_str("$(");
    bash.push_str(&fish_to_bash(&inner));
    bash.push(')');
    close + 1
}

/// A `$` at `at`: `$(cmd)`, `$status` as `$?`, `$argv` as `$@`, or a
/// variable.
fn fish_variable(chars: &[char], at: usize, raw: &mut String, bash: &mut String) -> usize {
    if chars.get(at + 1) == Some(&'(') {
        return fish_substitution(chars, at + 1, raw, bash);
    }
    let mut end = at + 1;
    while chars
        .get(end)
        .is_some_and(|c| c.is_alphanumeric() || *c == '_')
    {
        end += 1;
    }
    let name: String = chars[at + 1..end].iter().collect();
    raw.push('$');
    raw.push_str(&name);
    match name.as_str() {
        "status" => bash.push_str("$?"),
        "argv" => bash.push_str("$@"),
        "" => bash.push('$'),
        _ => {
            bash.push('$');
            bash.push_str(&name);
        }
    }
    end
}
