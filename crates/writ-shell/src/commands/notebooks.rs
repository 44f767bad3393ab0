//! Jupyter notebooks and IPython. `jupyter nbconvert NB... [--to FMT]
//! [--output NAME] [--output-dir DIR] [--inplace] [--stdout]` reads each
//! notebook and writes the converted file (next to the notebook unless
//! `--output-dir` says where); `jupyter execute NB...` reads them (and
//! writes them back with `--inplace`). `ipython -c CODE` and `ipython
//! FILE.py` are Python's own (`python3 -c CODE`, `python3 FILE.py`).
//!
//! A notebook that runs (`nbconvert --execute`, `jupyter execute`,
//! `papermill IN OUT`, `ipython NB.ipynb`) and whose text was written
//! earlier runs the code it holds ([`written`]): its code cells' Python,
//! read as `python3 -c` code is, with `!cmd` lines and `%%bash` cells run
//! as shell.

use super::sql::Lookup;
use super::{Invocation, Nested, Outcome};
use crate::args::Arg;
use crate::paths;

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "ipython" | "ipython3" => Some(ipython(inv)),
        "jupyter" => {
            let (command, rest) = inv.args.split_first()?;
            match command.text.as_str() {
                "nbconvert" => Some(nbconvert(inv, rest)),
                "execute" => Some(execute(inv, rest)),
                _ => None,
            }
        }
        "jupyter-nbconvert" => Some(nbconvert(inv, inv.args)),
        "jupyter-execute" => Some(execute(inv, inv.args)),
        _ => None,
    }
}

/// A code file a command runs, and the directory its code runs in.
struct Run {
    path: String,
    cwd: String,
}

/// The files written earlier that a command runs as Python or notebook
/// code: their code is read in place of the file.
pub(crate) fn written(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    for run in runs(inv) {
        let Some(text) = text_of(&run.path) else {
            continue;
        };
        let code = if run.path.ends_with(".ipynb") {
            match notebook_code(&text) {
                Some(code) => code,
                None => continue,
            }
        } else {
            Code {
                python: text,
                shell: Vec::new(),
            }
        };
        let what = format!("{} runs the code of {}", inv.program, run.path);
        for text in code.shell {
            outcome.nested.push(Nested::Script {
                text,
                what: what.clone(),
            });
        }
        let cwd = Invocation {
            cwd: &run.cwd,
            ..*inv
        };
        python(&cwd, &code.python, &what, outcome);
    }
}

/// Adds what Python `code` does, as `python3 -c` code, to `outcome`.
fn python(inv: &Invocation<'_>, code: &str, what: &str, outcome: &mut Outcome) {
    let args = [Arg::literal("-c"), Arg::literal(code)];
    let inline = super::dispatch(&Invocation {
        program: "python3",
        args: &args,
        ..*inv
    });
    outcome.effects.extend(inline.effects);
    outcome.nested.extend(inline.nested);
    outcome.contents.extend(inline.contents);
    let ran = "python3 runs inline code: ";
    outcome.opaque.extend(inline.opaque.into_iter().map(|line| {
        if line.starts_with(ran) {
            what.to_owned()
        } else {
            line
        }
    }));
}

/// The code files the command runs: the notebooks it executes (in the
/// notebook's directory for nbconvert and `jupyter execute`, in `--cwd`
/// or here for papermill) and IPython's script.
fn runs(inv: &Invocation<'_>) -> Vec<Run> {
    let here = |path: String| Run {
        path,
        cwd: inv.cwd.to_owned(),
    };
    let beside = |path: String| Run {
        cwd: parent(&path),
        path,
    };
    match inv.program {
        "ipython" | "ipython3" => ipython_script(inv.args)
            .map(|a| here(inv.path(&a.text)))
            .into_iter()
            .collect(),
        "papermill" => papermill_input(inv)
            .map(|(input, cwd)| Run {
                path: inv.path(&input),
                cwd: cwd.map_or_else(|| inv.cwd.to_owned(), |c| inv.path(&c)),
            })
            .into_iter()
            .collect(),
        "jupyter" | "jupyter-nbconvert" | "jupyter-execute" => {
            let (command, rest) = match inv.program {
                "jupyter" => match inv.args.split_first() {
                    Some((c, rest)) => (c.text.as_str(), rest),
                    None => return Vec::new(),
                },
                "jupyter-nbconvert" => ("nbconvert", inv.args),
                _ => ("execute", inv.args),
            };
            let options = Options::parse(rest);
            let executes =
                command == "execute" || (command == "nbconvert" && options.has(&["--execute"]));
            if !executes {
                return Vec::new();
            }
            options
                .operands
                .iter()
                .map(|nb| beside(inv.path(&nb.text)))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// papermill's input notebook and its `--cwd`.
fn papermill_input(inv: &Invocation<'_>) -> Option<(String, Option<String>)> {
    let mut words = inv.args.iter();
    let mut cwd = None;
    let mut input = None;
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        match text {
            "--cwd" => cwd = words.next().map(|w| w.text.clone()),
            "-p" | "--parameters" | "-r" | "--parameters_raw" | "--parameters-raw" => {
                words.next();
                words.next();
            }
            "-f"
            | "--parameters_file"
            | "--parameters-file"
            | "-y"
            | "--parameters_yaml"
            | "--parameters-yaml"
            | "-b"
            | "--parameters_base64"
            | "--parameters-base64"
            | "-k"
            | "--kernel"
            | "-l"
            | "--language"
            | "--engine"
            | "--autosave-cell-every"
            | "--start-timeout"
            | "--execution-timeout"
            | "--stdout-file"
            | "--stderr-file"
            | "--log-level" => {
                words.next();
            }
            _ if text.starts_with("--cwd=") => cwd = text.get(6..).map(str::to_owned),
            _ if text.starts_with('-') => {}
            _ if input.is_none() => input = Some(text.to_owned()),
            _ => {}
        }
    }
    input
        .filter(|i| !i.contains("://"))
        .map(|input| (input, cwd))
}

/// The directory of an absolute path.
fn parent(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_owned(),
        Some((dir, _)) => dir.to_owned(),
    }
}

/// Options and operands of `jupyter nbconvert`/`execute`: traitlets
/// options (`--to html`, `--to=html`, `--ExecutePreprocessor.timeout=600`)
/// and flags.
struct Options {
    values: Vec<(String, String)>,
    flags: Vec<String>,
    operands: Vec<Arg>,
}

/// nbconvert's and `jupyter execute`'s options that take a value.
const VALUE_OPTIONS: &[&str] = &[
    "--to",
    "--output",
    "--output-dir",
    "--template",
    "--template-file",
    "--config",
    "--log-level",
    "--writer",
    "--post",
    "--reveal-prefix",
    "--nbformat",
    "--kernel_name",
    "--kernel",
    "--timeout",
    "--startup_timeout",
    "--sanitize_html",
];

impl Options {
    fn parse(args: &[Arg]) -> Self {
        let mut options = Self {
            values: Vec::new(),
            flags: Vec::new(),
            operands: Vec::new(),
        };
        let mut words = args.iter();
        while let Some(word) = words.next() {
            let text = word.text.as_str();
            if let Some((name, value)) = text.split_once('=').filter(|(n, _)| n.starts_with('-')) {
                options.values.push((name.to_owned(), value.to_owned()));
            } else if VALUE_OPTIONS.contains(&text)
                || (text.starts_with("--") && text.contains('.'))
            {
                let value = words.next().map(|w| w.text.clone()).unwrap_or_default();
                options.values.push((text.to_owned(), value));
            } else if text.starts_with('-') {
                options.flags.push(text.to_owned());
            } else {
                options.operands.push(word.clone());
            }
        }
        options
    }

    fn has(&self, names: &[&str]) -> bool {
        self.flags.iter().any(|f| names.contains(&f.as_str()))
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `jupyter nbconvert`: reads each notebook and writes what it converts
/// it to; `--stdout` prints it instead, `--inplace` rewrites the notebook.
fn nbconvert(inv: &Invocation<'_>, args: &[Arg]) -> Outcome {
    let options = Options::parse(args);
    let mut outcome = Outcome::default();
    let format = options.value("--to").unwrap_or("html");
    for notebook in &options.operands {
        let path = inv.path(&notebook.text);
        outcome.read(path.clone(), false);
        if options.has(&["--stdout"]) {
            continue;
        }
        if options.has(&["--inplace"]) {
            outcome.write(path, false);
            continue;
        }
        let dir = options
            .value("--output-dir")
            .map_or_else(|| parent(&path), |d| inv.path(d));
        let name = converted_name(&path, format, options.value("--output"));
        outcome.write(paths::resolve(&dir, inv.home, &name), false);
    }
    outcome
}

/// The name nbconvert gives the converted file: `--output`, with the
/// format's extension added when it lacks it, else the notebook's stem
/// with it (`NB.nbconvert.ipynb` for `--to notebook`).
fn converted_name(notebook: &str, format: &str, output: Option<&str>) -> String {
    let extension = match format {
        "notebook" => ".ipynb",
        "markdown" => ".md",
        "pdf" | "webpdf" => ".pdf",
        "latex" => ".tex",
        "script" | "python" => ".py",
        "rst" => ".rst",
        "asciidoc" => ".asciidoc",
        "slides" => ".slides.html",
        _ => ".html",
    };
    let stem = notebook
        .rsplit('/')
        .next()
        .unwrap_or(notebook)
        .trim_end_matches(".ipynb");
    match output {
        Some(out) if out.ends_with(extension) => out.to_owned(),
        Some(out) => format!("{}{extension}", out.trim_end_matches(".ipynb")),
        None if format == "notebook" => format!("{stem}.nbconvert.ipynb"),
        None => format!("{stem}{extension}"),
    }
}

/// `jupyter execute NB... [--inplace] [--output NAME]`: reads each
/// notebook; `--inplace` writes it back, `--output` writes NAME beside it.
fn execute(inv: &Invocation<'_>, args: &[Arg]) -> Outcome {
    let options = Options::parse(args);
    let mut outcome = Outcome::default();
    for notebook in &options.operands {
        let path = inv.path(&notebook.text);
        outcome.read(path.clone(), false);
        if options.has(&["--inplace"]) {
            outcome.write(path.clone(), false);
        }
        if let Some(out) = options.value("--output") {
            let name = converted_name(&path, "notebook", Some(out));
            outcome.write(paths::resolve(&parent(&path), inv.home, &name), false);
        }
    }
    outcome
}

/// The script IPython runs: its first operand after its options.
fn ipython_script(args: &[Arg]) -> Option<&Arg> {
    let mut words = args.iter();
    while let Some(word) = words.next() {
        match word.text.as_str() {
            "-c" | "-m" | "--" => return None,
            "--profile"
            | "--profile-dir"
            | "--config"
            | "--ipython-dir"
            | "--log-level"
            | "--logfile"
            | "--logappend"
            | "--colors"
            | "--pylab"
            | "--gui"
            | "--matplotlib"
            | "--ext"
            | "--InteractiveShellApp.code_to_run" => {
                words.next();
            }
            text if text.starts_with('-') => {}
            _ => return Some(word),
        }
    }
    None
}

/// `ipython -c CODE`, `ipython -m MOD`, `ipython FILE.py ARGS`: Python's,
/// without IPython's own options. A notebook it runs is read.
fn ipython(inv: &Invocation<'_>) -> Outcome {
    let mut args: Vec<Arg> = Vec::new();
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        match word.text.as_str() {
            "-c" | "-m" => {
                args.push(word.clone());
                args.extend(words.by_ref().cloned());
            }
            _ if ipython_script(std::slice::from_ref(word)).is_some() => {
                if word.text.ends_with(".ipynb") {
                    let mut outcome = Outcome::default();
                    outcome.read(inv.path(&word.text), false);
                    return outcome;
                }
                args.push(word.clone());
                args.extend(words.by_ref().cloned());
            }
            "--profile" | "--profile-dir" | "--config" | "--ipython-dir" | "--log-level"
            | "--logfile" | "--logappend" | "--colors" | "--pylab" | "--gui" | "--matplotlib"
            | "--ext" => {
                words.next();
            }
            _ => {}
        }
    }
    if args.is_empty() {
        return Outcome::default();
    }
    super::dispatch(&Invocation {
        program: "python3",
        args: &args,
        ..*inv
    })
}

/// A notebook's code: the Python of its code cells, and the shell
/// commands in them (`!cmd` lines, `%%bash`/`%%sh` cells).
struct Code {
    python: String,
    shell: Vec<String>,
}

/// The code of a notebook's JSON text (`cells[].source`, a string or a
/// list of lines, of the cells whose `cell_type` is `code`).
fn notebook_code(text: &str) -> Option<Code> {
    let document: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut code = Code {
        python: String::new(),
        shell: Vec::new(),
    };
    let cells = document.get("cells")?.as_array()?;
    for cell in cells {
        if cell.get("cell_type").and_then(serde_json::Value::as_str) != Some("code") {
            continue;
        }
        let source = match cell.get("source") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Array(lines)) => lines
                .iter()
                .filter_map(serde_json::Value::as_str)
                .collect::<String>(),
            _ => continue,
        };
        add_cell(&source, &mut code);
    }
    Some(code)
}

/// Adds one code cell: a `%%bash`/`%%sh`/`%%script sh` cell is shell
/// text; in others, `!cmd` and `%sx`/`%system cmd` lines are shell
/// commands, other magics are dropped, and the rest is Python.
fn add_cell(source: &str, code: &mut Code) {
    let first = source.lines().next().unwrap_or_default().trim();
    let body = source.split_once('\n').map_or("", |(_, b)| b);
    if matches!(
        first,
        "%%bash" | "%%sh" | "%%script bash" | "%%script sh" | "%%system"
    ) {
        code.shell.push(body.to_owned());
        return;
    }
    for line in source.lines() {
        let trimmed = line.trim_start();
        let shell = trimmed
            .strip_prefix('!')
            .or_else(|| trimmed.strip_prefix("%sx "))
            .or_else(|| trimmed.strip_prefix("%system "))
            .or_else(|| line.split_once("= !").map(|(_, c)| c));
        if let Some(command) = shell {
            code.shell.push(command.trim().to_owned());
        } else if !trimmed.starts_with('%') {
            code.python.push_str(line);
            code.python.push('\n');
        }
    }
}
