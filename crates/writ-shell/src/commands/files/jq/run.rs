//! Runs a jq program with jaq, within limits: the filter's and the
//! inputs' size and nesting, a static bound on the work the filter can do
//! ([`super::bound`]), and the size of what it prints; on a thread of its
//! own, whose stack the nesting limits keep it within (and whose failure
//! leaves the output unknown). Nothing outside the
//! program is read: `env`, `$ENV`, `input`, `now` and module imports are
//! not admitted, so the run depends on the line alone.

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;
use jaq_json::write::Pp;

use super::{Format, Input, Program, Value, bound};

/// The longest filter run.
const MAX_FILTER: usize = 2 * 1024;
/// The most punctuation a filter has: its operators, hence how deep its
/// parse tree (and the recursion that parses, checks and runs it) goes.
const MAX_PUNCTUATION: usize = 256;
/// The deepest nesting of brackets in a filter or an input.
pub(super) const MAX_NESTING: usize = 32;
/// The most text read as input or bound to variables, in bytes.
const MAX_INPUT: usize = 64 * 1024;
/// The most text printed, in bytes.
const MAX_OUTPUT: usize = 64 * 1024;
/// The most input values run.
const MAX_INPUTS: usize = 256;

/// The stack of the thread a filter is checked and run on: parsing,
/// checking and running recurse as deep as the filter and its inputs
/// nest, so they get a stack of known size whatever called them.
const STACK: usize = 16 * 1024 * 1024;

/// What the program prints, the values separated by newlines (none with
/// `-j`) and without a last newline, as `echo`'s text is kept. `None`
/// when a limit is passed, the filter is not admitted, or jq would fail.
pub(super) fn evaluate(program: &Program) -> Option<String> {
    let filter = program.filter.as_str();
    if filter.len() > MAX_FILTER
        || filter.chars().filter(char::is_ascii_punctuation).count() > MAX_PUNCTUATION
        || nesting(filter) > MAX_NESTING
    {
        return None;
    }
    let program = program.clone();
    std::thread::Builder::new()
        .name("writ-jq".to_owned())
        .stack_size(STACK)
        .spawn(move || evaluate_here(&program))
        .ok()?
        .join()
        .ok()?
}

/// [`evaluate`] on the calling thread, once the filter's size is checked.
fn evaluate_here(program: &Program) -> Option<String> {
    let filter = program.filter.as_str();
    let inputs = inputs(&program.input)?;
    let named = bound_names(&program.named)?;
    let positional = program
        .positional
        .iter()
        .map(value)
        .collect::<Option<Vec<Val>>>()?;
    let bound_text: usize = program
        .named
        .iter()
        .map(|(_, v)| value_len(v))
        .sum::<usize>()
        + program.positional.iter().map(value_len).sum::<usize>();
    if bound_text > MAX_INPUT {
        return None;
    }
    let term = jaq_core::load::parse(filter, |p| p.term())?;
    let input_sizes: Vec<usize> = inputs.iter().map(|(_, size)| *size).collect();
    let variables: Vec<(String, usize)> = program
        .named
        .iter()
        .map(|(name, v)| (format!("${name}"), value_len(v)))
        .chain([("$ARGS".to_owned(), bound_text + 64)])
        .collect();
    if !bound::admits(&term, &input_sizes, &variables) {
        return None;
    }
    let args = arguments(&named, positional);
    run(filter, &named, args, inputs, &program.format)
}

/// Compiles and runs the filter on each input, printing each value.
fn run(
    filter: &str,
    named: &[(String, Val)],
    args: Val,
    inputs: Vec<(Val, usize)>,
    format: &Format,
) -> Option<String> {
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let arena = Arena::default();
    let modules = Loader::new(defs)
        .load(
            &arena,
            File {
                code: filter,
                path: (),
            },
        )
        .ok()?;
    let names: Vec<String> = named.iter().map(|(name, _)| format!("${name}")).collect();
    let filter = Compiler::default()
        .with_funs(funs)
        .with_global_vars(names.iter().map(String::as_str).chain(["$ARGS"]))
        .compile(modules)
        .ok()?;
    let values: Vec<Val> = named.iter().map(|(_, v)| v.clone()).chain([args]).collect();
    let pp = Pp {
        indent: format.indent.clone(),
        sort_keys: format.sort_keys,
        sep_space: format.indent.is_some(),
        ..Pp::default()
    };
    let mut printed = Printed::default();
    for (input, _) in inputs {
        let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new(values.clone()));
        for output in filter.id.run((ctx, input)).map(unwrap_valr) {
            printed.value(&output.ok()?, &pp, format)?;
        }
    }
    Some(printed.text)
}

/// What has been printed so far, bounded by [`MAX_OUTPUT`].
#[derive(Default)]
struct Printed {
    text: String,
    values: usize,
}

impl Printed {
    /// Prints one value: a string as its text with `-r`, else JSON.
    fn value(&mut self, value: &Val, pp: &Pp, format: &Format) -> Option<()> {
        if self.values > 0 && !format.joined {
            self.text.push('\n');
        }
        self.values += 1;
        match value {
            Val::TStr(bytes) if format.raw => self.text.push_str(std::str::from_utf8(bytes).ok()?),
            _ => {
                let mut json = Bounded::default();
                jaq_json::write::write(&mut json, pp, 0, value).ok()?;
                self.text.push_str(&String::from_utf8(json.0).ok()?);
            }
        }
        (self.text.len() <= MAX_OUTPUT).then_some(())
    }
}

/// A writer that fails past [`MAX_OUTPUT`] bytes.
#[derive(Default)]
struct Bounded(Vec<u8>);

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + buf.len() > MAX_OUTPUT {
            return Err(std::io::Error::other("jq output over the limit"));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The input values with the size of the text each was read from.
fn inputs(input: &Input) -> Option<Vec<(Val, usize)>> {
    let (text, raw, slurp) = match input {
        Input::Null => return Some(vec![(Val::Null, 4)]),
        Input::Text { text, raw, slurp } => (text.as_str(), *raw, *slurp),
    };
    if text.len() > MAX_INPUT {
        return None;
    }
    if raw {
        let value = if slurp {
            vec![(Val::from(text.to_owned()), text.len())]
        } else {
            text.lines()
                .map(|line| (Val::from(line.to_owned()), line.len()))
                .collect()
        };
        return (value.len() <= MAX_INPUTS).then_some(value);
    }
    if nesting(text) > MAX_NESTING {
        return None;
    }
    let values = jaq_json::read::parse_many(text.as_bytes())
        .take(MAX_INPUTS + 1)
        .collect::<Result<Vec<Val>, _>>()
        .ok()?;
    if values.len() > MAX_INPUTS {
        return None;
    }
    if slurp {
        return Some(vec![(values.into_iter().collect(), text.len())]);
    }
    // Each value is no larger than the whole text.
    Some(values.into_iter().map(|v| (v, text.len())).collect())
}

/// The named values, the last binding of a name winning.
fn bound_names(named: &[(String, Value)]) -> Option<Vec<(String, Val)>> {
    let mut bound: Vec<(String, Val)> = Vec::new();
    for (name, v) in named {
        let v = value(v)?;
        match bound.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = v,
            None => bound.push((name.clone(), v)),
        }
    }
    Some(bound)
}

/// `$ARGS`: `{"positional": [...], "named": {...}}`.
fn arguments(named: &[(String, Val)], positional: Vec<Val>) -> Val {
    let named: Val = Val::obj(
        named
            .iter()
            .map(|(name, v)| (Val::from(name.clone()), v.clone()))
            .collect(),
    );
    Val::obj(
        [
            (
                Val::from("positional".to_owned()),
                positional.into_iter().collect(),
            ),
            (Val::from("named".to_owned()), named),
        ]
        .into_iter()
        .collect(),
    )
}

/// A bound value as jaq's: JSON text parsed (`None` when it is not one
/// JSON value, as jq then fails), text as a string.
fn value(v: &Value) -> Option<Val> {
    match v {
        Value::Text(text) => Some(Val::from(text.clone())),
        Value::Json(text) if nesting(text) <= MAX_NESTING => {
            jaq_json::read::parse_single(text.as_bytes()).ok()
        }
        Value::Json(_) => None,
    }
}

fn value_len(v: &Value) -> usize {
    match v {
        Value::Text(text) | Value::Json(text) => text.len(),
    }
}

/// The deepest nesting of `[`, `{` and `(` in `text`, strings included
/// (which can only overstate it).
fn nesting(text: &str) -> usize {
    let mut depth: usize = 0;
    let mut deepest = 0;
    for byte in text.bytes() {
        match byte {
            b'[' | b'{' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}
