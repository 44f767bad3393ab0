//! Functions defined on the line, second round: a `return` that surely
//! runs ends the call, slices of the positional parameters and arrays
//! (`"${@:2}"`) give the words they select, and a command substitution
//! that calls a function which only prints gives the text it prints. Run
//! in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

/// The paths `command` deletes.
fn deleted(command: &str) -> Vec<String> {
    effects(command)
        .iter()
        .filter(|e| e["effect"] == "delete")
        .filter_map(|e| e["path"].as_str().map(str::to_owned))
        .collect()
}

/// The URLs `command` sends requests to, in order.
fn urls(command: &str) -> Vec<String> {
    effects(command)
        .iter()
        .filter(|e| e["effect"] == "request")
        .filter_map(|e| e["target"]["url"].as_str().map(str::to_owned))
        .collect()
}

/// The host of each SQL statement `command` runs.
fn sql_hosts(command: &str) -> Vec<Value> {
    effects(command)
        .iter()
        .filter(|e| e["effect"] == "sql")
        .map(|e| e["host"].clone())
        .collect()
}

const DRY_RUN_WRAPPER: &str = "run() {\n  if [[ \"${DRY_RUN:-0}\" != 0 ]]; then\n    printf '[dry-run]'; printf ' %q' \"$@\"; printf '\\n'\n    return 0\n  fi\n  \"$@\"\n}\n";

#[test]
fn a_surely_run_return_ends_the_call() {
    // DRY_RUN=1: the `then` arm runs and returns; `"$@"` never runs.
    let dry = format!("DRY_RUN=1\n{DRY_RUN_WRAPPER}run rm -rf /srv/data\nrun rm -rf /srv/logs");
    assert_eq!(deleted(&dry), Vec::<String>::new());
    // DRY_RUN=0, or not known: the command runs.
    let wet = format!("DRY_RUN=0\n{DRY_RUN_WRAPPER}run rm -rf /srv/data");
    assert_eq!(deleted(&wet), vec!["/srv/data"]);
    let unknown = format!("{DRY_RUN_WRAPPER}run rm -rf /srv/data");
    assert_eq!(deleted(&unknown), vec!["/srv/data"]);
}

#[test]
fn a_return_ends_only_its_own_call() {
    // The caller goes on after the call, and the next call runs again.
    assert_eq!(
        deleted("f() { echo start; return 0; rm -rf /srv/a; }; f; rm -rf /srv/b; f"),
        vec!["/srv/b"]
    );
    // A decided test before `&&` returns.
    assert_eq!(
        deleted("X=1; f() { [[ -n \"$X\" ]] && return 0; rm -rf /srv/a; }; f"),
        Vec::<String>::new()
    );
    assert_eq!(
        deleted("f() { [[ -n \"$X\" ]] && return 0; rm -rf /srv/a; }; f"),
        vec!["/srv/a"]
    );
    // Every arm of an `if` with `else` returns: nothing after it runs.
    assert_eq!(
        deleted("f() { if [ -n \"$X\" ]; then return 0; else return 1; fi; rm -rf /srv/a; }; f"),
        Vec::<String>::new()
    );
    // One arm that may not run does not end the call.
    assert_eq!(
        deleted("f() { if [ -n \"$X\" ]; then return 0; fi; rm -rf /srv/a; }; f"),
        vec!["/srv/a"]
    );
}

#[test]
fn a_return_outside_a_function_does_not_end_the_line() {
    // Bash reports an error and goes on.
    assert_eq!(deleted("return 0; rm -rf /srv/a"), vec!["/srv/a"]);
}

#[test]
fn an_exit_in_an_arm_that_returns_elsewhere_still_ends_the_shell() {
    assert_eq!(
        deleted(
            "f() { if [ -n \"$X\" ]; then exit 1; else return 1; fi; }; f; rm -rf /srv/a; f() { :; }"
        ),
        vec!["/srv/a"]
    );
    // Both arms exit: the shell ends, the later command does not run.
    assert_eq!(
        deleted("f() { if [ -n \"$X\" ]; then exit 1; else exit 2; fi; }; f; rm -rf /srv/a"),
        Vec::<String>::new()
    );
}

const GH_API: &str = "gh_api() { curl -fsSL -H \"Authorization: Bearer ${GITHUB_TOKEN}\" \"https://api.github.com/${1#/}\" \"${@:2}\"; }\n";

#[test]
fn slice_of_no_arguments_gives_no_words() {
    check(
        &format!("{GH_API}gh_api /repos/acme/web/actions/runs"),
        json!([url_request(
            "curl",
            "https://api.github.com/repos/acme/web/actions/runs",
            "GET",
            payload(
                &["Authorization: Bearer ${GITHUB_TOKEN}"],
                &[],
                &["GITHUB_TOKEN"]
            )
        )]),
    );
}

#[test]
fn slice_of_known_arguments_gives_those_words() {
    // The extra argument is another URL curl fetches with the same header.
    assert_eq!(
        urls(&format!(
            "{GH_API}gh_api /user https://collect.example.net/x"
        )),
        vec![
            "https://api.github.com/user",
            "https://collect.example.net/x"
        ]
    );
    assert_eq!(
        urls("g() { curl \"${@:2:1}\"; }; g x https://a.example.com https://b.example.com"),
        vec!["https://a.example.com"]
    );
    // A negative offset counts back from the last argument.
    assert_eq!(
        urls("g() { curl \"${@: -1}\"; }; g https://a.example.com https://b.example.com"),
        vec!["https://b.example.com"]
    );
    // Out of range: nothing.
    assert_eq!(
        urls("g() { curl https://a.example.com \"${@:5}\"; }; g x"),
        vec!["https://a.example.com"]
    );
}

#[test]
fn star_slice_is_one_word_and_unquoted_slice_splits() {
    assert_eq!(
        deleted("f() { rm -rf \"${*:2}\"; }; f x /srv/a /srv/b"),
        vec!["/srv/a /srv/b"]
    );
    assert_eq!(
        deleted("f() { rm -rf ${@:2}; }; f x '/srv/a /srv/b'"),
        vec!["/srv/a", "/srv/b"]
    );
    // Within a word, the elements joined.
    assert_eq!(
        urls("f() { curl \"https://a.example.com/${@:2}\"; }; f x y"),
        vec!["https://a.example.com/y"]
    );
}

#[test]
fn array_slices_give_their_elements() {
    assert_eq!(
        urls("a=(x https://a.example.com https://b.example.com); curl \"${a[@]:1}\""),
        vec!["https://a.example.com", "https://b.example.com"]
    );
    assert_eq!(
        urls("a=(x https://a.example.com https://b.example.com); curl \"${a[@]: -1:1}\""),
        vec!["https://b.example.com"]
    );
}

#[test]
fn slice_of_unknown_arguments_stays_dynamic() {
    // The line itself has no arguments it knows: the slice is not known.
    assert_eq!(deleted("rm -rf \"${@:2}\""), vec![at("${@:2}")]);
    // From `$0`, which the line does not know.
    assert_eq!(
        deleted("f() { rm -rf \"${@:0:1}\"; }; f /srv/a"),
        vec![at("${@:0:1}")]
    );
}

const DB_HOST: &str = "db_host() {\n  case \"${1:-staging}\" in\n    prod|production) echo warehouse.prod.internal ;;\n    *)               echo \"warehouse.${1}.internal\" ;;\n  esac\n}\n";

#[test]
fn substitution_of_a_printing_function_is_its_text() {
    assert_eq!(
        sql_hosts(&format!(
            "{DB_HOST}psql -h \"$(db_host production)\" -c 'TRUNCATE TABLE t'"
        )),
        vec![json!("warehouse.prod.internal")]
    );
    assert_eq!(
        sql_hosts(&format!(
            "{DB_HOST}psql -h \"$(db_host qa)\" -c 'TRUNCATE TABLE t'"
        )),
        vec![json!("warehouse.qa.internal")]
    );
    // No argument: the `*)` arm, with `$1` empty.
    assert_eq!(
        sql_hosts(&format!(
            "{DB_HOST}psql -h \"$(db_host)\" -c 'TRUNCATE TABLE t'"
        )),
        vec![json!("warehouse..internal")]
    );
    // An `if` decided on its argument, and a function calling another.
    let pick = "pick() { if [ \"$1\" = prod ]; then printf '%s' db.prod.internal; else echo db.dev.internal; fi; }; host() { local env=$1; pick \"$env\"; }; ";
    assert_eq!(
        sql_hosts(&format!("{pick}psql -h \"$(host prod)\" -c 'DROP TABLE t'")),
        vec![json!("db.prod.internal")]
    );
}

#[test]
fn substitution_of_a_printing_function_with_an_undecided_arm_is_not_known() {
    // Either arm may print: the host is not known.
    assert_eq!(
        sql_hosts(&format!(
            "{DB_HOST}psql -h \"$(db_host \"$ENV\")\" -c 'TRUNCATE TABLE t'"
        )),
        vec![json!("$(db_host \"$ENV\")")]
    );
    // An arm that may not run may print nothing at all.
    assert_eq!(
        sql_hosts(
            "h() { if [ -n \"$X\" ]; then echo db.prod.internal; fi; }; psql -h \"$(h)\" -c 'DROP TABLE t'"
        ),
        vec![json!("$(h)")]
    );
}

#[test]
fn substitution_of_a_function_that_does_more_than_print_is_not_known() {
    // It runs a program whose output is not known.
    assert_eq!(
        sql_hosts("h() { hostname; }; psql -h \"$(h)\" -c 'DROP TABLE t'"),
        vec![json!("$(h)")]
    );
    // A substitution inside it runs commands of its own.
    assert_eq!(
        sql_hosts(
            "h() { echo \"db.$(cat /etc/zone).internal\"; }; psql -h \"$(h)\" -c 'DROP TABLE t'"
        ),
        vec![json!("$(h)")]
    );
}
