//! sbt's publish to a repository the line sets (`set publishTo := ...`):
//! the project's directory goes to that URL; a publish whose repository
//! the build file names says nothing about where.

use super::common::*;
use serde_json::Value;

fn uploads(command: &str) -> Vec<Value> {
    effects(command)
        .into_iter()
        .filter(|e| e["effect"] == "request" && e["method"] == "UPLOAD")
        .map(|e| e["target"]["url"].clone())
        .collect()
}

#[test]
fn a_publish_goes_to_the_repository_set_before_it() {
    for command in [
        "sbt -batch 'set ThisBuild / publishTo := Some(\"mirror\" at \"https://repo.example.net/artifactory/m/\")' 'project ledger' publish",
        "sbt 'set publishTo := Some(Resolver.url(\"m\", url(\"https://repo.example.net/artifactory/m/\")))' +publish",
        "sbt 'set ledger / publishTo := Some(MavenRepository(\"m\", \"https://repo.example.net/artifactory/m/\"))' ledger/publishSigned",
    ] {
        assert_eq!(
            uploads(command),
            vec![Value::from("https://repo.example.net/artifactory/m/")],
            "{command}"
        );
    }
}

#[test]
fn without_a_repository_on_the_line_or_a_publish_nothing_is_sent() {
    for command in [
        "sbt publish",
        "sbt 'set publishTo := Some(\"m\" at \"https://repo.example.net/m/\")' compile test",
        // The publish runs before the setting.
        "sbt publish 'set publishTo := Some(\"m\" at \"https://repo.example.net/m/\")'",
        "sbt 'set publishTo := Some(Resolver.file(\"local\", file(\"target/repo\")))' publish",
    ] {
        assert_eq!(uploads(command), Vec::<Value>::new(), "{command}");
    }
}
