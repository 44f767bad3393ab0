//! Shell state a script builds before it acts: getopts over its
//! arguments, `shift`, arithmetic, associative arrays and their keys,
//! `printf -v`, `hash -p`, and `bash -s -- ARGS` fed its script on stdin.

use crate::common;
use common::*;
use serde_json::json;

fn force_push(remote: &str, src: &str, dst: &str) -> serde_json::Value {
    push(
        W,
        Some(remote),
        json!([refspec(Some(src), Some(dst), false, false)]),
        true,
        false,
    )
}

#[test]
fn getopts_sets_each_option_and_its_argument() {
    run_table(&[
        // The options of `set --`, one body per option, the case arm taken.
        (
            "set -- -d staging; while getopts d: o; do case $o in d) dir=deploy/$OPTARG ;; esac; done; terraform -chdir=\"$dir\" apply tfplan",
            json!([terraform(
                "apply",
                &at("deploy/staging"),
                Some(&at("deploy/staging/tfplan")),
                false
            )]),
        ),
        // Clustered flags and an attached argument (`-fr origin` is -f, then
        // r=origin).
        (
            "set -- -fr mirror -b main; while getopts 'fr:b:' opt; do case \"$opt\" in f) F=1 ;; r) R=$OPTARG ;; b) B=$OPTARG ;; esac; done; git push -f \"$R\" \"HEAD:$B\"",
            json!([force_push("mirror", "HEAD", "main")]),
        ),
        // The arguments given after the variable name, not the script's.
        (
            "while getopts r: o -r upstream; do remote=$OPTARG; done; git push -f \"$remote\" HEAD:main",
            json!([force_push("upstream", "HEAD", "main")]),
        ),
    ]);
}

#[test]
fn a_script_on_stdin_gets_the_words_after_double_dash() {
    // `-c` after `--` is the script's option, not the shell's.
    run_table(&[(
        "bash -s -- -c prod-eu -n web <<'EOF'\nwhile getopts c:n: opt; do\n  case $opt in\n    c) ctx=$OPTARG ;;\n    n) ns=$OPTARG ;;\n  esac\ndone\nkubectl --context \"$ctx\" delete namespace \"$ns\"\nEOF",
        json!([kubectl(
            "delete",
            &["namespace", "web"],
            Some("prod-eu"),
            None,
            &[],
            false,
            false
        )]),
    )]);
}

#[test]
fn shift_and_arithmetic_move_the_positional_parameters() {
    run_table(&[
        (
            "set -- -v x.iso /dev/sdb; shift; shift; dd if=/dev/zero of=\"$1\"",
            json!([read("/dev/zero"), write("/dev/sdb")]),
        ),
        (
            "set -- -q build; while getopts q o; do :; done; shift $((OPTIND - 1)); rm -rf \"$1\"",
            json!([delete(&at("build"), true)]),
        ),
        (
            "n=2; cp a \"b$((n * 3 + 1))\"",
            json!([read(&at("a")), write(&at("b7"))]),
        ),
    ]);
}

#[test]
fn associative_arrays_resolve_by_key() {
    run_table(&[
        (
            "declare -A db=([stg]=db.stg.internal [prd]=db.prod.internal); env=prd; psql -h \"${db[$env]}\" -c 'TRUNCATE t'",
            json!([sql(
                "psql",
                Some("db.prod.internal"),
                None,
                Some("TRUNCATE t"),
                &[]
            )]),
        ),
        // Keys set one by one, then read in a loop over `${!m[@]}`.
        (
            "declare -A m; m[a]=one; m[b]=two; for k in \"${!m[@]}\"; do rm -rf \"${m[$k]}\"; done",
            json!([delete(&at("one"), true), delete(&at("two"), true)]),
        ),
        // An indexed array read at a computed index.
        (
            "a=(x y z); i=1; rm -rf \"${a[i+1]}\"",
            json!([delete(&at("z"), true)]),
        ),
    ]);
}

#[test]
fn printf_v_and_hash_p_name_what_runs() {
    run_table(&[
        (
            "printf -v u 'https://%s/upload' paste.example; curl -T notes.txt \"$u\"",
            json!([url_request(
                "curl",
                "https://paste.example/upload",
                "PUT",
                payload(&[], &[(&at("notes.txt"), false)], &[])
            )]),
        ),
        (
            "hash -p /usr/bin/git g; g push -f origin HEAD:main",
            json!([force_push("origin", "HEAD", "main")]),
        ),
    ]);
}
