//! Commands inline code runs from argument lists, and git aliases given
//! with `-c alias.NAME=...`.

use crate::common;
use common::*;
use serde_json::{Value, json};

/// `git push --force origin BRANCH` from the working directory.
fn force_push(branch: &str) -> Value {
    json!([push(
        W,
        Some("origin"),
        json!([refspec(Some(branch), Some(branch), false, false)]),
        true,
        false
    )])
}

fn delete_namespace() -> Value {
    json!([kubectl(
        "delete",
        &["namespace", "billing"],
        Some("k8s-live-fra"),
        None,
        &[],
        false,
        false
    )])
}

#[test]
fn python_runs_argument_lists() {
    run_table(&[
        (
            "python3 -c \"import subprocess as s; s.run(['git','push','--force','origin','release/2.4'], check=True)\"",
            force_push("release/2.4"),
        ),
        (
            "python3 -c \"from subprocess import check_call; check_call(('git', 'push', '-f', 'origin', 'main'))\"",
            force_push("main"),
        ),
        (
            "python3 -c \"import subprocess; subprocess.Popen(['git', 'push', '--force', 'origin', 'main']).wait()\"",
            force_push("main"),
        ),
        (
            "python3 -c \"import os; os.execvp('git', ['git', 'push', '--force', 'origin', 'main'])\"",
            force_push("main"),
        ),
        (
            "python3 -c \"import os; os.spawnlp(os.P_WAIT, 'git', 'git', 'push', '--force', 'origin', 'main')\"",
            force_push("main"),
        ),
        (
            "python3 -c \"import os; os.execle('/bin/rm', 'rm', '-rf', '/home/dana', os.environ)\"",
            json!([delete("/home/dana", true)]),
        ),
        // `shell=True` with a list: the first item is the command line.
        (
            "python3 -c \"import subprocess; subprocess.call(['rm -rf /home/dana'], shell=True)\"",
            json!([delete("/home/dana", true)]),
        ),
        // A variable is a word whose value is unknown, never dropped: the
        // branch is not read as `--force`'s neighbour.
        (
            "python3 -c \"import subprocess; subprocess.run(['git', 'push', '--force', 'origin', branch])\"",
            json!([push(
                W,
                Some("origin"),
                json!([refspec(Some("$branch"), Some("$branch"), false, false)]),
                true,
                false
            )]),
        ),
        // An unknown program runs nothing writ can read.
        (
            "python3 -c \"import subprocess; subprocess.run([tool, 'push', '--force', 'origin', 'main'])\"",
            json!([]),
        ),
        // A list that is only printed runs nothing.
        (
            "python3 -c \"print(['git', 'push', '--force', 'origin', 'main'])\"",
            json!([]),
        ),
    ]);
}

#[test]
fn perl_and_ruby_run_word_lists() {
    run_table(&[
        (
            "perl -e 'system qw(kubectl --context k8s-live-fra delete namespace billing)'",
            delete_namespace(),
        ),
        (
            "perl -e 'system(\"git\", \"push\", \"--force\", \"origin\", \"main\") == 0 or die'",
            force_push("main"),
        ),
        (
            "perl -e 'exec \"git\", qw(push --force origin main);'",
            force_push("main"),
        ),
        (
            "ruby -e 'system(\"git\", \"push\", \"--force\", \"origin\", \"main\", exception: true)'",
            force_push("main"),
        ),
        (
            "ruby -e 'Kernel.exec({\"GIT_TRACE\" => \"1\"}, \"git\", \"push\", \"-f\", \"origin\", \"main\")'",
            force_push("main"),
        ),
        (
            "ruby -e 'require \"open3\"; Open3.capture2(\"kubectl\", \"--context\", \"k8s-live-fra\", \"delete\", \"namespace\", \"billing\")'",
            delete_namespace(),
        ),
        (
            "ruby -e 'pid = spawn(*%w[git push --force origin main]); Process.wait(pid)'",
            force_push("main"),
        ),
        (
            "ruby -e 'pid = spawn(%w[git push --force origin main]); Process.wait(pid)'",
            force_push("main"),
        ),
        // One string is a command line, as before.
        (
            "ruby -e 'system(\"git push --force origin main\")'",
            force_push("main"),
        ),
    ]);
}

#[test]
fn node_runs_a_program_with_its_arguments() {
    run_table(&[
        (
            "node -e \"require('child_process').execFileSync('git', ['push', '--force', 'origin', 'main'])\"",
            force_push("main"),
        ),
        (
            "node -e \"const cp = require('child_process'); cp.spawnSync('git', ['push', '-f', 'origin', 'main'], {stdio: 'inherit'})\"",
            force_push("main"),
        ),
        (
            "node -e \"const {execFile} = require('child_process'); execFile('rm', ['-rf', '/home/dana'], () => {})\"",
            json!([delete("/home/dana", true)]),
        ),
        // `shell: true` joins the words into a command line.
        (
            "node -e \"require('child_process').spawn('rm', ['-rf', '/home/dana'], {shell: true})\"",
            json!([delete("/home/dana", true)]),
        ),
    ]);
}

#[test]
fn git_aliases_given_on_the_command_line_are_expanded() {
    run_table(&[
        (
            "git -c alias.sync='push --force' sync origin main",
            force_push("main"),
        ),
        (
            "git -c alias.ship=push -c alias.sync='ship --force' sync origin main",
            force_push("main"),
        ),
        (
            "git -c alias.nuke='!rm -rf /home/dana' nuke",
            json!([delete("/home/dana", true)]),
        ),
        // An alias does not hide git's own command of the same name.
        ("git -c alias.push='push --force' push", push_plain()),
        // An alias for another name leaves the command as it is.
        ("git -c alias.sync='push --force' status", json!([])),
    ]);
}

fn push_plain() -> Value {
    json!([push(W, None, json!([]), false, false)])
}
