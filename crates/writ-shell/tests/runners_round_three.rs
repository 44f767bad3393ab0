//! Task runners, third round: mage's Go targets (magefile.go), cargo-make's
//! tasks (Makefile.toml) and Gradle's `Exec` tasks (build.gradle.kts,
//! build.gradle), each run from a file an earlier step wrote or read.

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

/// The effects of kind `kind` among `effects`.
fn of_kind<'a>(effects: &'a [Value], kind: &str) -> Vec<&'a Value> {
    effects.iter().filter(|e| e["effect"] == kind).collect()
}

// ------------------------------------------------------------------- mage

const MAGEFILE: &str = r#"//go:build mage

package main

import (
	"fmt"
	"path/filepath"

	"github.com/magefile/mage/mg"
	"github.com/magefile/mage/sh"
)

const bucketPrefix = "s3://"

type TF mg.Namespace
type Docs mg.Namespace

// Plan runs terraform plan for one root.
func (TF) Plan(env string) error {
	dir := filepath.Join("infra", "tf", env)
	if err := sh.RunV("terraform", "-chdir="+dir, "init", "-input=false"); err != nil {
		return err
	}
	return sh.RunV("terraform", "-chdir="+dir, "plan", "-out="+env+".tfplan")
}

func (TF) Apply(env string) error {
	dir := filepath.Join("infra", "tf", env)
	return sh.RunV("terraform", "-chdir="+dir, "apply", env+".tfplan")
}

func (Docs) Build() error {
	return sh.RunV("mkdocs", "build", "-d", "site")
}

func (Docs) Publish() error {
	mg.Deps(Docs.Build)
	return sh.RunV("aws", "s3", "sync", "site/", "s3://acme-docs/", "--acl", "public-read")
}

// Purge empties a bucket.
func Purge(ctx context.Context, bucket string) error {
	return sh.RunWith(map[string]string{"AWS_PROFILE": "ops"}, "aws", "s3", "rm", bucketPrefix+bucket+"/", "--recursive")
}

func Clean() error {
	args := []string{"-rf"}
	args = append(args, fmt.Sprintf("build/%s", "cache"))
	return sh.Run("rm", args...)
}

func Release() error {
	mg.SerialDeps(mg.F(TF.Apply, "prod"), Clean)
	return nil
}

var Default = Clean
"#;

fn magefile() -> [WrittenFile; 1] {
    [text_file(&at("magefile.go"), MAGEFILE)]
}

#[test]
fn mage_namespace_target_binds_its_arguments() {
    let effects = after(&magefile(), "mage tf:apply sandbox");
    assert_eq!(
        of_kind(&effects, "terraform"),
        [&terraform(
            "apply",
            &at("infra/tf/sandbox"),
            Some(&at("infra/tf/sandbox/sandbox.tfplan")),
            false
        )],
        "{effects:?}"
    );
}

#[test]
fn mage_targets_match_any_case_and_run_every_command() {
    let effects = after(&magefile(), "mage TF:PLAN staging");
    let verbs: Vec<&Value> = of_kind(&effects, "terraform")
        .iter()
        .map(|e| &e["verb"])
        .collect();
    assert_eq!(verbs, ["init", "plan"], "{effects:?}");
    assert!(
        of_kind(&effects, "terraform")
            .iter()
            .all(|e| e["dir"] == at("infra/tf/staging").as_str()),
        "{effects:?}"
    );
}

#[test]
fn mage_dependencies_run_first() {
    let effects = after(&magefile(), "mage docs:publish");
    assert!(
        effects
            .iter()
            .any(|e| e["effect"] == "make_public" && e["resource"]["name"] == "acme-docs"),
        "{effects:?}"
    );
    // The docs are built (into site/) before they are synced.
    let build = effects
        .iter()
        .position(|e| e.to_string().contains("/site"))
        .unwrap_or(usize::MAX);
    let public = effects
        .iter()
        .position(|e| e["effect"] == "make_public")
        .unwrap_or(0);
    assert!(build < public, "{effects:?}");
}

#[test]
fn mage_context_parameter_takes_no_word_and_run_with_skips_its_env() {
    let effects = after(&magefile(), "mage purge tidewell-cache");
    assert_eq!(
        of_kind(&effects, "remote_delete"),
        [&remote_delete("s3://tidewell-cache/", true)],
        "{effects:?}"
    );
}

#[test]
fn mage_slices_spread_and_default_target() {
    assert_eq!(
        after(&magefile(), "mage"),
        [delete(&at("build/cache"), true)]
    );
    assert_eq!(
        after(&magefile(), "mage -v clean"),
        [delete(&at("build/cache"), true)]
    );
}

#[test]
fn mage_f_binds_a_dependency_arguments() {
    let effects = after(&magefile(), "mage release");
    assert_eq!(
        of_kind(&effects, "terraform")
            .first()
            .map(|e| e["dir"].clone()),
        Some(Value::from(at("infra/tf/prod"))),
        "{effects:?}"
    );
    assert!(effects.contains(&delete(&at("build/cache"), true)));
}

#[test]
fn mage_listing_and_unknown_files_run_nothing() {
    assert!(of_kind(&after(&magefile(), "mage -l"), "terraform").is_empty());
    assert!(of_kind(&after(&[], "mage tf:apply sandbox"), "terraform").is_empty());
    // Another target of the same file does not run.
    assert!(of_kind(&after(&magefile(), "mage docs:build"), "make_public").is_empty());
}

// ------------------------------------------------------------- cargo-make

const MAKEFILE_TOML: &str = r#"[config]
default_to_workspace = false

[tasks.install-tools]
description = "Install the cargo subcommands CI uses"
script = '''
cargo install --locked cargo-nextest
'''

[tasks.clean-cache]
command = "rm"
args = ["-rf", "target/cache"]

[tasks.ci]
dependencies = ["clean-cache", { name = "install-tools" }]
script = ["echo done"]

[tasks.default]
alias = "clean-cache"
"#;

fn makefile_toml() -> [WrittenFile; 1] {
    [text_file(&at("Makefile.toml"), MAKEFILE_TOML)]
}

#[test]
fn cargo_make_runs_a_task_script() {
    for command in [
        "cargo make install-tools",
        "cargo-make make install-tools",
        "makers install-tools",
        "cargo make --no-workspace install-tools",
    ] {
        let effects = after(&makefile_toml(), command);
        assert!(
            effects
                .iter()
                .any(|e| e.to_string().contains("cargo-nextest")),
            "{command}: {effects:?}"
        );
    }
}

#[test]
fn cargo_make_runs_command_args_and_dependencies() {
    assert_eq!(
        after(&makefile_toml(), "cargo make clean-cache"),
        [delete(&at("target/cache"), true)]
    );
    let effects = after(&makefile_toml(), "cargo make ci");
    assert_eq!(effects.first(), Some(&delete(&at("target/cache"), true)));
    assert!(
        effects
            .iter()
            .any(|e| e.to_string().contains("cargo-nextest")),
        "{effects:?}"
    );
    // No task named: `default`, an alias.
    assert_eq!(
        after(&makefile_toml(), "cargo make"),
        [delete(&at("target/cache"), true)]
    );
}

#[test]
fn cargo_make_other_cargo_commands_and_listings_run_no_task() {
    assert!(after(&makefile_toml(), "cargo make --list-all-steps").is_empty());
    assert!(
        !after(&makefile_toml(), "cargo build")
            .iter()
            .any(|e| e.to_string().contains("target/cache"))
    );
}

// ----------------------------------------------------------------- gradle

const BUILD_KTS: &str = r#"plugins {
    application
}

tasks.register<Copy>("installGitHooks") {
    from(layout.projectDirectory.file("scripts/pre-commit"))
    into(rootProject.layout.projectDirectory.dir("../.git/hooks"))
}

tasks.register<Exec>("shipExport") {
    group = "settlement"
    val month = providers.gradleProperty("month").get()
    val host = findProperty("host") as String? ?: "sftp.partner.example"
    workingDir = rootProject.layout.projectDirectory.dir("..").asFile
    commandLine("scp", "-q", "exports/merchants_$month.csv", "up@${host}:/inbound/")
}

tasks.register<Exec>("wipe") {
    dependsOn("shipExport")
    workingDir = file("build")
    commandLine("rm", "-rf", "out")
}
"#;

const BUILD_GROOVY: &str = "task purge(type: Exec) {\n    workingDir 'tmp'\n    commandLine 'rm', '-rf', \"cache-${project.property('env')}\"\n}\n";

#[test]
fn gradle_exec_task_runs_its_command_line_with_properties() {
    let written = [text_file(&at("jobs/build.gradle.kts"), BUILD_KTS)];
    let effects = after(
        &written,
        "cd jobs && ./gradlew shipExport -Pmonth=2026-11 --console=plain",
    );
    let text = serde_json::to_string(&effects).unwrap_or_default();
    assert!(
        text.contains(&at("exports/merchants_2026-11.csv")),
        "{effects:?}"
    );
    assert!(text.contains("sftp.partner.example"), "{effects:?}");
}

#[test]
fn gradle_depends_on_and_working_dir() {
    let written = [text_file(&at("build.gradle.kts"), BUILD_KTS)];
    let effects = after(&written, "gradle wipe -P month=2026-10");
    assert!(
        effects.contains(&delete(&at("build/out"), true)),
        "{effects:?}"
    );
    let text = serde_json::to_string(&effects).unwrap_or_default();
    assert!(text.contains("merchants_2026-10.csv"), "{effects:?}");
    // A `Copy` task runs no command: it copies its `from` into its `into`.
    assert_eq!(
        after(&written, "gradle installGitHooks"),
        [
            read_tree(&at("scripts/pre-commit")),
            write("/home/dana/.git/hooks")
        ]
    );
}

#[test]
fn gradle_groovy_exec_task() {
    let written = [text_file(&at("build.gradle"), BUILD_GROOVY)];
    assert_eq!(
        after(&written, "./gradlew purge -Penv=stage"),
        [delete(&at("tmp/cache-stage"), true)]
    );
    assert!(after(&written, "./gradlew --dry-run purge -Penv=stage").is_empty());
}
