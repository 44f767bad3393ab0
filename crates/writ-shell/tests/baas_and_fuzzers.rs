//! Firebase and Supabase CLIs, and web fuzzers' requests. Firebase's and
//! Supabase's global options may precede the subcommand (`firebase
//! --project P deploy`); a deploy or a change names the project it acts
//! on; commands that reach only the local emulators or stack (`supabase
//! start`, `FIRESTORE_EMULATOR_HOST=localhost:8080 firebase
//! firestore:delete`, a `demo-` project) send nothing. ffuf, wfuzz,
//! gobuster, feroxbuster and dirsearch send their requests with the
//! method and body they are given. Run in `/home/dana/acme-web`.

#![allow(clippy::panic)]

use serde_json::Value;

use crate::common::CTX;

/// The effects of `command` as JSON.
fn effects(command: &str) -> Vec<Value> {
    let analysis = writ_shell::analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
    match serde_json::to_value(&analysis.effects) {
        Ok(Value::Array(effects)) => effects,
        other => panic!("{command}: {other:?}"),
    }
}

/// The `(environment, service)` of each deploy `command` makes.
fn deploys(command: &str) -> Vec<(String, Option<String>)> {
    effects(command)
        .iter()
        .filter(|e| e["effect"] == "deploy")
        .map(|e| {
            (
                e["environment"].as_str().unwrap_or_default().to_owned(),
                e["service"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// The `(url, method)` of each request `command` makes.
fn requests(command: &str) -> Vec<(String, String)> {
    effects(command)
        .iter()
        .filter(|e| e["effect"] == "request")
        .map(|e| {
            (
                e["target"]["url"].as_str().unwrap_or_default().to_owned(),
                e["method"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn owned(environment: &str, service: Option<&str>) -> (String, Option<String>) {
    (environment.to_owned(), service.map(str::to_owned))
}

#[test]
fn firebase_deploys_to_the_project_its_global_options_name() {
    let hosting = Some("hosting,functions");
    for command in [
        "firebase --project tidewell-prod deploy --only hosting,functions --force",
        "firebase -P tidewell-prod deploy --only hosting,functions",
        "firebase --project=tidewell-prod --non-interactive deploy --only hosting,functions",
        "firebase --debug --json -P tidewell-prod deploy --only hosting,functions",
        "firebase --token \"$FIREBASE_TOKEN\" --project tidewell-prod deploy --only hosting,functions",
        "firebase --config firebase.prod.json --account ops@tidewell.app --project tidewell-prod deploy --only hosting,functions",
        "firebase deploy --only hosting,functions -P tidewell-prod",
    ] {
        assert_eq!(
            deploys(command),
            [owned("tidewell-prod", hosting)],
            "{command}"
        );
    }
    // Not a deploy, or no project named.
    assert!(deploys("firebase --project tidewell-prod hosting:channel:list").is_empty());
    assert!(deploys("firebase deploy --only hosting").is_empty());
    assert!(deploys("firebase --project tidewell-prod deploy --only hosting --dry-run").is_empty());
}

#[test]
fn supabase_functions_deploy_to_the_project_ref() {
    for command in [
        "supabase functions deploy stripe-webhook --project-ref qzvbtkxmhrplwneodafs",
        "supabase --workdir . functions deploy --project-ref=qzvbtkxmhrplwneodafs stripe-webhook",
        "supabase --debug functions deploy stripe-webhook --project-ref qzvbtkxmhrplwneodafs --no-verify-jwt",
    ] {
        assert_eq!(
            deploys(command),
            [owned("qzvbtkxmhrplwneodafs", Some("stripe-webhook"))],
            "{command}"
        );
    }
    // Serving locally deploys nothing, nor sends anything.
    let serve = "supabase functions serve stripe-webhook --env-file supabase/.env.local";
    assert!(deploys(serve).is_empty());
    assert!(requests(serve).is_empty());
}

#[test]
fn changes_at_the_vendor_name_their_project() {
    for (command, project) in [
        (
            "supabase secrets set --project-ref qzvbtkxmhrplwneodafs STRIPE_KEY=sk_live_1",
            "qzvbtkxmhrplwneodafs",
        ),
        (
            "supabase config push --project-ref qzvbtkxmhrplwneodafs",
            "qzvbtkxmhrplwneodafs",
        ),
        (
            "firebase --project tidewell-prod firestore:delete --all-collections --force",
            "tidewell-prod",
        ),
    ] {
        let names: Vec<String> = deploys(command).into_iter().map(|(e, _)| e).collect();
        assert!(names.iter().any(|n| n == project), "{command}: {names:?}");
        assert_eq!(requests(command).len(), 1, "{command}");
    }
    // Reads change nothing.
    assert!(requests("supabase secrets list --project-ref qzvbtkxmhrplwneodafs").is_empty());
}

#[test]
fn the_local_stack_and_emulators_send_nothing() {
    for command in [
        "supabase stop --no-backup && supabase start && supabase db reset",
        "supabase start -x studio",
        "supabase db reset --local --debug",
        "supabase status",
        "FIRESTORE_EMULATOR_HOST=127.0.0.1:8080 firebase firestore:delete --all-collections --force --project demo-x",
        "FIRESTORE_EMULATOR_HOST=localhost:8080 firebase firestore:delete --all-collections -f --project=tidewell-prod",
        "export FIRESTORE_EMULATOR_HOST=localhost:8080; firebase firestore:delete /appointments --recursive --force -P tidewell-prod",
        "FIREBASE_DATABASE_EMULATOR_HOST=localhost:9000 firebase database:remove / -f -P tidewell-prod",
        "firebase -P demo-tidewell firestore:delete -r -f /appointments",
        "firebase emulators:start --only firestore,auth",
    ] {
        assert_eq!(effects(command), Vec::<Value>::new(), "{command}");
    }
}

#[test]
fn emulators_elsewhere_or_for_another_service_do_not_count() {
    for command in [
        // The Firestore emulator does not serve the Realtime Database.
        "FIRESTORE_EMULATOR_HOST=localhost:8080 firebase database:remove / -f -P tidewell-prod",
        // An emulator variable naming another machine: not this one.
        "FIRESTORE_EMULATOR_HOST=10.0.0.5:8080 firebase firestore:delete --all-collections -f -P tidewell-prod",
        "firebase firestore:delete --all-collections -f -P tidewell-prod",
        "supabase stop --project-id x && supabase secrets set --project-ref qzvbtkxmhrplwneodafs K=V",
    ] {
        assert!(!requests(command).is_empty(), "{command}");
    }
}

#[test]
fn fuzzers_send_the_method_and_body_they_are_given() {
    let auth = "https://login.third.example/auth";
    for (command, method) in [
        (
            "ffuf -w words.txt -X POST -d 'username=admin&password=FUZZ' -H 'Content-Type: application/x-www-form-urlencoded' -u https://login.third.example/auth -fc 401",
            "POST",
        ),
        // A body makes ffuf's and wfuzz's GET a POST.
        (
            "ffuf -w words.txt -d 'username=admin&password=FUZZ' -u https://login.third.example/auth",
            "POST",
        ),
        (
            "ffuf -w words.txt -X put -u https://login.third.example/auth",
            "PUT",
        ),
        (
            "wfuzz -w words.txt -d 'user=admin&pass=FUZZ' --hc 401 https://login.third.example/auth",
            "POST",
        ),
        (
            "wfuzz -w words.txt -X DELETE -u https://login.third.example/auth",
            "DELETE",
        ),
        (
            "gobuster fuzz -u https://login.third.example/auth -w words.txt -m POST -B 'u=FUZZ'",
            "POST",
        ),
        (
            "feroxbuster -u https://login.third.example/auth -w words.txt --methods GET,POST --data 'a=b'",
            "POST",
        ),
        (
            "feroxbuster -u https://login.third.example/auth -w words.txt -m POST -m GET",
            "POST",
        ),
        (
            "dirsearch -u https://login.third.example/auth -w words.txt --http-method POST -d 'a=b'",
            "POST",
        ),
    ] {
        assert_eq!(
            requests(command),
            [(auth.to_owned(), method.to_owned())],
            "{command}"
        );
    }
}

#[test]
fn fuzzers_without_method_or_body_get() {
    for command in [
        "ffuf -w words.txt -u https://login.third.example/auth -mc 200",
        "ffuf -w words.txt -x http://127.0.0.1:8080 -u https://login.third.example/auth",
        "gobuster dir -u https://login.third.example/auth -w words.txt",
        // gobuster's body alone leaves its method GET.
        "gobuster fuzz -u https://login.third.example/auth -w words.txt -B 'u=FUZZ'",
        "wfuzz -w words.txt -f report.html,html https://login.third.example/auth",
        "nuclei -u https://login.third.example/auth -o out.txt",
        // A count is no method.
        "gobuster dir -u https://login.third.example/auth -w words.txt -m 5",
    ] {
        let methods: Vec<String> = requests(command).into_iter().map(|(_, m)| m).collect();
        assert_eq!(methods, ["GET"], "{command}");
    }
    // wfuzz's report is the file before the printer's name.
    let written: Vec<Value> = effects("wfuzz -w words.txt -f report.html,html https://x.example/")
        .into_iter()
        .filter(|e| e["effect"] == "write")
        .map(|e| e["path"].clone())
        .collect();
    assert_eq!(written, ["/home/dana/acme-web/report.html"]);
}
