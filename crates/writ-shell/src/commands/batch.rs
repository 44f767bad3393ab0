//! Cluster job launchers: what a scheduler runs is analysed as if it ran
//! here. Slurm's `srun [OPTS] CMD ARGS` and `salloc [OPTS] [CMD ARGS]` run
//! the command; `sbatch [OPTS] --wrap "TEXT"` runs `sh -c TEXT`, `sbatch
//! [OPTS] SCRIPT [ARGS]` the script, and `sbatch` alone the script on
//! standard input. PBS and Grid Engine's `qsub` runs a script (or
//! standard input), `qsub -- CMD ARGS` (PBS) or `qsub -b y CMD ARGS` (Grid
//! Engine) a command; LSF's `bsub [OPTS] CMD ARGS` runs the command line
//! through a shell, and `bsub < SCRIPT` the script. A job's working
//! directory (`--chdir`, `-D`, `-wd`, `-cwd`) and the variables it is
//! given (`--export=ALL,K=V`, `-v K=V`) are the command's.

use super::{Invocation, Nested, Outcome};
use crate::args::{self, Arg, Spec};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let outcome = match inv.program {
        "srun" | "salloc" | "sbatch" => slurm(inv),
        "qsub" => qsub(inv),
        "bsub" => bsub(inv),
        _ => return None,
    };
    Some(outcome)
}

/// srun's long options that take a value (`--partition cpu` or
/// `--partition=cpu`), salloc's and sbatch's too but the last: srun's
/// `--wait=SECONDS` is sbatch's flag `--wait`. Options whose value is
/// optional (`--kill-on-bad-exit[=N]`, `--nice[=N]`) take it only after
/// `=`, and are not listed.
const SRUN_VALUE_OPTIONS: &[&str] = &[
    "account",
    "acctg-freq",
    "array",
    "batch",
    "bb",
    "bbf",
    "begin",
    "chdir",
    "cluster-constraint",
    "clusters",
    "comment",
    "constraint",
    "container",
    "container-id",
    "context",
    "core-spec",
    "cores-per-socket",
    "cpu-bind",
    "cpu-freq",
    "cpus-per-gpu",
    "cpus-per-task",
    "deadline",
    "delay-boot",
    "dependency",
    "distribution",
    "epilog",
    "error",
    "exclude",
    "export",
    "export-file",
    "extra",
    "extra-node-info",
    "gid",
    "gpu-bind",
    "gpu-freq",
    "gpus",
    "gpus-per-node",
    "gpus-per-socket",
    "gpus-per-task",
    "gres",
    "gres-flags",
    "het-group",
    "hint",
    "input",
    "job-name",
    "jobid",
    "licenses",
    "mail-type",
    "mail-user",
    "mcs-label",
    "mem",
    "mem-bind",
    "mem-per-cpu",
    "mem-per-gpu",
    "mincpus",
    "mpi",
    "network",
    "nodefile",
    "nodelist",
    "nodes",
    "ntasks",
    "ntasks-per-core",
    "ntasks-per-gpu",
    "ntasks-per-node",
    "ntasks-per-socket",
    "open-mode",
    "output",
    "partition",
    "power",
    "prefer",
    "priority",
    "profile",
    "prolog",
    "qos",
    "relative",
    "reservation",
    "segment",
    "signal",
    "slurmd-debug",
    "sockets-per-node",
    "switches",
    "task-epilog",
    "task-prolog",
    "thread-spec",
    "threads-per-core",
    "time",
    "time-min",
    "tmp",
    "tres-bind",
    "tres-per-task",
    "uid",
    "wckey",
    "wrap",
    "wait",
];

/// salloc's and sbatch's long options that take a value.
const SLURM_VALUE_OPTIONS: &[&str] = match SRUN_VALUE_OPTIONS.split_last() {
    Some((_, rest)) => rest,
    None => &[],
};

/// `srun`, `salloc` and `sbatch`: options, then the command (or script).
fn slurm(inv: &Invocation<'_>) -> Outcome {
    let spec = match inv.program {
        "srun" => Spec {
            short: "AbBcCDdeGiJLMmNnopqrSTtWwx",
            long: SRUN_VALUE_OPTIONS,
            stop_after: Some(0),
        },
        "salloc" => Spec {
            short: "AbBcCDdFGJLMmNnpqStwx",
            long: SLURM_VALUE_OPTIONS,
            stop_after: Some(0),
        },
        _ => Spec {
            short: "AabBcCDdeFGiJLMmNnopqStwx",
            long: SLURM_VALUE_OPTIONS,
            stop_after: Some(0),
        },
    };
    let items = args::parse(inv.args, &spec);
    let cwd = args::value(&items, &["-D", "--chdir"]).map(|d| inv.path(&d.text));
    let env = args::value(&items, &["--export"])
        .map(|list| assignments(list, ','))
        .unwrap_or_default();
    let mut argv: Vec<Arg> = args::positionals(&items).into_iter().cloned().collect();
    if inv.program == "sbatch" {
        argv = match args::value(&items, &["--wrap"]) {
            Some(text) => vec![Arg::literal("sh"), Arg::literal("-c"), text.clone()],
            // The script, or standard input.
            None => shell_running(argv),
        };
    }
    launch(argv, env, cwd)
}

/// `sh SCRIPT ARGS...`, or `sh` reading standard input.
fn shell_running(script: Vec<Arg>) -> Vec<Arg> {
    let mut argv = vec![Arg::literal("sh")];
    argv.extend(script);
    argv
}

/// The nested command a job runs.
fn launch(argv: Vec<Arg>, env: Vec<(String, Arg)>, cwd: Option<String>) -> Outcome {
    let mut outcome = Outcome::default();
    if !argv.is_empty() {
        outcome.nested.push(Nested::Argv { argv, env, cwd });
    }
    outcome
}

/// `K=V` entries of a list (`ALL,K=V`); entries without `=` name
/// variables already set (or `ALL`, `NONE`).
fn assignments(list: &Arg, separator: char) -> Vec<(String, Arg)> {
    list.text
        .split(separator)
        .filter_map(|entry| entry.trim().split_once('='))
        .filter(|(name, _)| !name.is_empty())
        .map(|(name, value)| (name.to_owned(), list.with_text(value)))
        .collect()
}

/// How many words an option of a scheduler whose options are single-dash
/// words (`-cwd`, `-pe NAME SLOTS`) takes after it.
fn arity(option: &str, flags: &[&str]) -> usize {
    match option {
        _ if flags.contains(&option) => 0,
        "-pe" => 2,
        _ => 1,
    }
}

/// PBS's and Grid Engine's qsub options that take no value.
const QSUB_FLAGS: &[&str] = &[
    "-cwd", "-V", "-h", "-I", "-X", "-z", "-f", "-G", "-terse", "-notify", "-clear", "-hard",
    "-soft", "-help", "-verify",
];

/// `qsub [OPTS] SCRIPT [ARGS]`, `qsub [OPTS] -- CMD ARGS`, `qsub -b y CMD
/// ARGS`, or a script on standard input. `-wd DIR` (Grid Engine) and `-d
/// DIR` (Torque) set the working directory, `-v K=V,...` variables.
fn qsub(inv: &Invocation<'_>) -> Outcome {
    let mut words = inv.args.iter();
    let mut binary = false;
    let mut cwd = None;
    let mut env = Vec::new();
    let mut argv: Vec<Arg> = Vec::new();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if text == "--" {
            binary = true;
            argv.extend(words.by_ref().cloned());
            break;
        }
        if !text.starts_with('-') || text == "-" {
            argv.push(word.clone());
            argv.extend(words.by_ref().cloned());
            break;
        }
        let values: Vec<&Arg> = words.by_ref().take(arity(text, QSUB_FLAGS)).collect();
        match (text, values.first()) {
            ("-b", Some(value)) => binary = value.text.starts_with(['y', 'Y']),
            ("-wd" | "-d", Some(dir)) => cwd = Some(inv.path(&dir.text)),
            ("-v", Some(list)) => env.extend(assignments(list, ',')),
            _ => {}
        }
    }
    let argv = if binary { argv } else { shell_running(argv) };
    launch(argv, env, cwd)
}

/// LSF's bsub options that take no value.
const BSUB_FLAGS: &[&str] = &[
    "-B", "-H", "-I", "-Ip", "-Is", "-IS", "-ISp", "-ISs", "-IX", "-K", "-N", "-r", "-rn", "-ul",
    "-x", "-tty", "-Zs", "-XF", "-hl", "-h", "-V",
];

/// `bsub [OPTS] CMD ARGS`: LSF runs the command line through a shell, in
/// `-cwd DIR`; without one, the job script on standard input.
fn bsub(inv: &Invocation<'_>) -> Outcome {
    let mut words = inv.args.iter();
    let mut cwd = None;
    let mut command: Vec<&Arg> = Vec::new();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if !text.starts_with('-') || text == "-" {
            command.push(word);
            command.extend(words.by_ref());
            break;
        }
        let values: Vec<&Arg> = words.by_ref().take(arity(text, BSUB_FLAGS)).collect();
        if let ("-cwd", Some(dir)) = (text, values.first()) {
            cwd = Some(inv.path(&dir.text));
        }
    }
    let argv = match command.split_first() {
        None => shell_running(Vec::new()),
        Some((first, rest)) => {
            let mut line = (*first).clone();
            for word in rest {
                line.text.push(' ');
                line.text.push_str(&word.text);
                line.env.extend(word.env.iter().cloned());
                crate::flow::merge(&mut line.prov, &word.prov);
                line.dynamic |= word.dynamic;
            }
            vec![Arg::literal("sh"), Arg::literal("-c"), line]
        }
    };
    launch(argv, Vec::new(), cwd)
}
