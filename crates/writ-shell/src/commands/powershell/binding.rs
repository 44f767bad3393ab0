//! Binding the words a script (`pwsh -File F ARGS`, `scripts.rs`) or a
//! function the text defines (`functions.rs`) is called with to the
//! parameters it declares, as PowerShell binds them: by name (`-Name
//! value`, `-Name:value`), by any unambiguous prefix, by position for the
//! rest; a switch is `$true` when named alone. PowerShell's common
//! parameters (`-WhatIf`, `-Confirm`, `-Verbose`, `-ErrorAction Stop`,
//! ...) are not the script's own: they bind no declared parameter, and a
//! common parameter that takes a value takes its word with it. Any other
//! name no parameter declares, and positional words left over, are
//! `$args`.
//!
//! `-WhatIf` makes `$PSCmdlet.ShouldProcess(...)` return `$false`: the
//! work it guards does not run. Without it the call returns `$true` (with
//! `-Confirm` or a high `ConfirmImpact` PowerShell asks first; the answer
//! that matters is yes). [`decided`] writes each call as the constant it
//! returns, so the constant conditions pass (`conditions.rs`) keeps only
//! the branch that runs. `$PSCmdlet.ShouldContinue(...)` always asks, and
//! `-WhatIf` does not change that: it is left as written, unknown.

use super::param_word;
use super::scripts::{Param, param_index};
use super::splatting::{closing, unquoted};

/// PowerShell's common parameters that are switches.
const COMMON_SWITCHES: &[&str] = &["verbose", "debug", "whatif", "confirm"];

/// The aliases of [`COMMON_SWITCHES`] and [`COMMON_VALUES`]: (alias, name).
const COMMON_ALIASES: &[(&str, &str)] = &[
    ("vb", "verbose"),
    ("db", "debug"),
    ("wi", "whatif"),
    ("cf", "confirm"),
    ("ea", "erroraction"),
    ("wa", "warningaction"),
    ("infa", "informationaction"),
    ("proga", "progressaction"),
    ("ev", "errorvariable"),
    ("wv", "warningvariable"),
    ("iv", "informationvariable"),
    ("ov", "outvariable"),
    ("ob", "outbuffer"),
    ("pv", "pipelinevariable"),
];

/// PowerShell's common parameters that take a value.
const COMMON_VALUES: &[&str] = &[
    "erroraction",
    "warningaction",
    "informationaction",
    "progressaction",
    "errorvariable",
    "warningvariable",
    "informationvariable",
    "outvariable",
    "outbuffer",
    "pipelinevariable",
];

/// The parameters a call binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Binding {
    /// Each declared parameter's value as PowerShell text, in order
    /// (`None`: not given).
    pub(super) values: Vec<Option<String>>,
    /// What no parameter takes (`$args`), as PowerShell text.
    pub(super) rest: Vec<String>,
    /// Whether `-WhatIf` is given (and not `-WhatIf:$false`).
    pub(super) what_if: bool,
}

/// `words` bound to `params`; `value` writes a word as the PowerShell
/// value it is.
pub(super) fn bind(params: &[Param], words: &[&str], value: impl Fn(&str) -> String) -> Binding {
    let mut binding = Binding {
        values: params.iter().map(|_| None).collect(),
        rest: Vec::new(),
        what_if: false,
    };
    let mut words = words.iter();
    while let Some(word) = words.next() {
        let Some((name, attached)) = param_word(word) else {
            // The next parameter not yet bound that takes a value.
            let free = params
                .iter()
                .zip(&binding.values)
                .position(|(p, v)| !p.switch && v.is_none());
            match free.and_then(|at| binding.values.get_mut(at)) {
                Some(slot) => *slot = Some(value(word)),
                None => binding.rest.push(value(word)),
            }
            continue;
        };
        if let Some(at) = param_index(params, &name) {
            let switch = params.get(at).is_some_and(|p| p.switch);
            let bound = match (switch, attached) {
                (true, Some(flag)) => Some(flag.to_owned()),
                (true, None) => Some("$true".to_owned()),
                (false, Some(text)) => Some(value(text)),
                (false, None) => words.next().map(|w| value(w)),
            };
            if let Some(slot) = binding.values.get_mut(at) {
                *slot = bound;
            }
            continue;
        }
        match common(&name) {
            Some("whatif") => binding.what_if = attached.is_none_or(is_set),
            Some(common) if COMMON_VALUES.contains(&common) && attached.is_none() => {
                words.next();
            }
            Some(_) => {}
            // A name the script does not declare: a word of `$args`.
            None => binding.rest.push(value(word)),
        }
    }
    binding
}

/// The common parameter `-name` names (its full lower-case name): its
/// name, an alias, or a prefix of one name only.
fn common(name: &str) -> Option<&'static str> {
    if let Some((_, full)) = COMMON_ALIASES.iter().find(|(alias, _)| *alias == name) {
        return Some(full);
    }
    let mut prefixed = COMMON_SWITCHES
        .iter()
        .chain(COMMON_VALUES)
        .filter(|full| full.starts_with(name));
    match (prefixed.next(), prefixed.next()) {
        (Some(full), None) => Some(full),
        // `-Error`: either of two that take a value; which one does not
        // matter here.
        (Some(first), Some(_)) if COMMON_VALUES.contains(first) => Some(first),
        _ => None,
    }
}

/// Whether a switch's attached value (`-WhatIf:$false`) sets it.
fn is_set(flag: &str) -> bool {
    !matches!(
        flag.trim()
            .trim_matches(['\'', '"'])
            .to_ascii_lowercase()
            .as_str(),
        "$false" | "false" | "0" | "$null"
    )
}

/// `code` with each `$PSCmdlet.ShouldProcess(...)` call written as the
/// constant it returns: `$false` everywhere under `-WhatIf` (the
/// preference reaches the functions the code calls); otherwise `$true`,
/// outside the functions `code` defines (each of those decides when it is
/// called, with its own arguments).
pub(super) fn decided(code: &str, what_if: bool) -> String {
    let lower = code.to_ascii_lowercase();
    if !lower.contains(".shouldprocess") {
        return code.to_owned();
    }
    let chars: Vec<char> = code.chars().collect();
    let outside = unquoted(&chars);
    let functions = if what_if {
        Vec::new()
    } else {
        super::functions::definition_spans(code)
    };
    let constant = if what_if { "$false" } else { "$true" };
    let mut out = String::with_capacity(code.len());
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        let in_function = functions
            .iter()
            .any(|(start, end)| *start <= at && at < *end);
        if c == '$'
            && outside.get(at).copied().unwrap_or(false)
            && !in_function
            && let Some(end) = should_process_call(&chars, at)
        {
            out.push_str(constant);
            at = end;
            continue;
        }
        out.push(c);
        at += 1;
    }
    out
}

/// Just past the `$PSCmdlet.ShouldProcess(...)` call starting at `at`.
fn should_process_call(chars: &[char], at: usize) -> Option<usize> {
    const CALL: &str = "$pscmdlet.shouldprocess";
    let length = CALL.chars().count();
    let written: String = chars.get(at..at + length)?.iter().collect();
    if !written.eq_ignore_ascii_case(CALL) {
        return None;
    }
    let mut open = at + length;
    while chars.get(open).is_some_and(|c| *c == ' ' || *c == '\t') {
        open += 1;
    }
    (chars.get(open) == Some(&'(')).then(|| closing(chars, open))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(name: &str, switch: bool) -> Param {
        Param {
            name: name.to_owned(),
            switch,
            default: None,
        }
    }

    fn quoted(word: &str) -> String {
        format!("'{word}'")
    }

    #[test]
    fn common_parameters_bind_no_declared_one() {
        let params = [param("Bucket", false), param("Force", true)];
        let bound = bind(
            &params,
            &["-Confirm:$false", "-ErrorAction", "Stop"],
            quoted,
        );
        assert_eq!(bound.values, [None, None]);
        assert!(bound.rest.is_empty() && !bound.what_if);
        let bound = bind(&params, &["-wi", "b", "-Verb", "-Other"], quoted);
        assert_eq!(bound.values, [Some("'b'".to_owned()), None]);
        assert_eq!(bound.rest, ["'-Other'"]);
        assert!(bound.what_if);
        assert!(!bind(&params, &["-WhatIf:$false"], quoted).what_if);
        let bound = bind(&params, &["-F", "x", "y"], quoted);
        assert_eq!(
            bound.values,
            [Some("'x'".to_owned()), Some("$true".to_owned())]
        );
        assert_eq!(bound.rest, ["'y'"]);
    }

    #[test]
    fn should_process_is_the_constant_it_returns() {
        let code = "if ($PSCmdlet.ShouldProcess($t, 'rm (all)')) { rm }\nfunction f { if ($pscmdlet.ShouldProcess('x')) { g } }\nWrite-Host '$PSCmdlet.ShouldProcess(1)'";
        assert_eq!(
            decided(code, false),
            "if ($true) { rm }\nfunction f { if ($pscmdlet.ShouldProcess('x')) { g } }\nWrite-Host '$PSCmdlet.ShouldProcess(1)'"
        );
        assert_eq!(
            decided(code, true),
            "if ($false) { rm }\nfunction f { if ($false) { g } }\nWrite-Host '$PSCmdlet.ShouldProcess(1)'"
        );
        let prompt = "if ($PSCmdlet.ShouldContinue('q', 'c')) { rm }";
        assert_eq!(decided(prompt, true), prompt);
    }
}
