//! `make` with the makefiles a Makefile includes (`include mk/*.mk`,
//! `-include`, `sinclude`, variables in the names, `-I` directories),
//! makefile fragments standing in for an unknown Makefile, the line's
//! `VAR=value` over `?=` defaults, automatic variables and `$$`.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

const MAKEFILE: &str = "SHELL := /bin/bash\n.DEFAULT_GOAL := help\n\ninclude mk/*.mk\n\n.PHONY: lint test\nlint:\n\trm -rf .lint-cache\ntest:\n\trm -rf coverage\n";

const GIT_MK: &str = "REMOTE ?= origin\nBRANCH ?= $(shell git rev-parse --abbrev-ref HEAD)\n\n.PHONY: push sync\n\npush: lint test\n\tgit push -u $(REMOTE) $(BRANCH)\n\nsync:\n\tgit fetch $(REMOTE) main\n\tgit push --force-with-lease $(REMOTE) HEAD:$(BRANCH)\n";

const RELEASE_MK: &str = "SENTRY_ORG ?= tessel\nDEBUG_FILE := out/fleet.debug\n\nupload-symbols: $(DEBUG_FILE)\n\tcurl -fsS -X POST \"https://sentry.io/api/0/projects/$(SENTRY_ORG)/difs/\" \\\n\t  -H \"Authorization: Bearer $$SENTRY_AUTH_TOKEN\" \\\n\t  -F file=@$<\n";

fn push_to(dst: &str, force: bool) -> Value {
    let src = if force { "HEAD" } else { dst };
    push(
        W,
        Some("origin"),
        json!([refspec(Some(src), Some(dst), false, false)]),
        force,
        false,
    )
}

/// The effects of `command` with the Makefile and its `mk/` fragments.
fn with_fragments(fragments: &[(&str, &str)], command: &str) -> Vec<Value> {
    let mut files = vec![("Makefile", MAKEFILE)];
    files.extend_from_slice(fragments);
    after_files(&files, command)
}

#[test]
fn a_globbed_include_brings_in_targets_and_variables() {
    let found = with_fragments(&[("mk/git.mk", GIT_MK)], "make push BRANCH=release/2026.11");
    // The prerequisites the Makefile defines run first, then the included
    // target's recipe with the line's branch over the `?=` default.
    assert_eq!(
        found,
        vec![
            delete(&at(".lint-cache"), true),
            delete(&at("coverage"), true),
            push_to("release/2026.11", false),
        ]
    );
    let sync = with_fragments(&[("mk/git.mk", GIT_MK)], "make sync BRANCH=feat/ota");
    assert_eq!(of_kind(&sync, "git_push"), vec![push_to("feat/ota", true)]);
}

#[test]
fn every_file_a_glob_matches_is_read_in_path_order() {
    // `b.mk` sets the remote after `a.mk` did: the later assignment wins.
    let found = with_fragments(
        &[
            ("mk/b.mk", "REMOTE = backup\n"),
            (
                "mk/a.mk",
                "REMOTE = origin\nship:\n\tgit push $(REMOTE) main\n",
            ),
            ("other/c.mk", "ship:\n\trm -rf /srv/www\n"),
        ],
        "make ship",
    );
    assert_eq!(
        found,
        vec![push(
            W,
            Some("backup"),
            json!([refspec(Some("main"), Some("main"), false, false)]),
            false,
            false
        )]
    );
}

#[test]
fn optional_includes_with_variables_and_several_names() {
    let makefile = "MK_DIR := build/mk\n-include $(MK_DIR)/vars.mk $(MK_DIR)/missing.mk # optional\nsinclude $(MK_DIR)/deploy.mk\n\nclean:\n\trm -rf $(OUT)\n";
    let found = after_files(
        &[
            ("Makefile", makefile),
            ("build/mk/vars.mk", "OUT = dist/site\n"),
            (
                "build/mk/deploy.mk",
                "deploy: clean\n\tgit push origin main\n",
            ),
        ],
        "make deploy",
    );
    assert_eq!(
        found,
        vec![
            delete(&at("dist/site"), true),
            push(
                W,
                Some("origin"),
                json!([refspec(Some("main"), Some("main"), false, false)]),
                false,
                false
            ),
        ]
    );
}

#[test]
fn an_include_directory_is_searched_after_the_working_directory() {
    let written = [
        text_file(&at("Makefile"), "include common.mk\n"),
        text_file(
            "/home/dana/shared/mk/common.mk",
            "reset:\n\trm -rf $(CURDIR)/state\n",
        ),
    ];
    assert_eq!(
        effects_after(&written, "make -I ../shared/mk reset"),
        json!([delete(&at("state"), true)])
    );
    // Without `-I`, the included file is not found and nothing runs.
    assert_eq!(effects_after(&written, "make reset"), json!([]));
}

#[test]
fn a_makefile_that_includes_itself_ends() {
    let found = after_files(
        &[(
            "Makefile",
            "include Makefile mk/*.mk\nwipe:\n\trm -rf tmp\n",
        )],
        "make wipe",
    );
    assert_eq!(found.first(), Some(&delete(&at("tmp"), true)));
}

#[test]
fn fragments_stand_in_for_an_unknown_makefile_that_defines_none() {
    // Only `mk/release.mk` is known: it defines the goal, so it runs, its
    // prerequisite's file built first and `$<` naming it.
    let found = after_files(&[("mk/release.mk", RELEASE_MK)], "make upload-symbols");
    let requests = of_kind(&found, "request");
    assert_eq!(requests.len(), 1, "{found:?}");
    let request = &requests[0];
    assert_eq!(
        request["target"]["url"],
        "https://sentry.io/api/0/projects/tessel/difs/"
    );
    assert_eq!(request["method"], "POST");
    assert_eq!(request["payload"]["env"], json!(["SENTRY_AUTH_TOKEN"]));
    assert_eq!(
        request["payload"]["files"],
        json!([{"path": at("out/fleet.debug"), "recursive": false}])
    );
    // A goal no fragment defines is not guessed at.
    assert_eq!(
        after_files(&[("mk/release.mk", RELEASE_MK)], "make deploy"),
        Vec::<Value>::new()
    );
    // Nor is the default goal.
    assert_eq!(
        after_files(&[("mk/release.mk", RELEASE_MK)], "make"),
        Vec::<Value>::new()
    );
}

#[test]
fn automatic_variables_and_their_directory_and_file_parts() {
    let makefile = "out/bin/app: src/main.c include/app.h\n\trm -rf $(@D)/cache\n\tcurl -sT $< https://drop.example.net/$(<F)/$(@F)\n\trm -f $(^D)\n";
    let found = after_files(&[("Makefile", makefile)], "make out/bin/app");
    assert_eq!(
        found,
        vec![
            delete(&at("out/bin/cache"), true),
            url_request(
                "curl",
                "https://drop.example.net/main.c/app",
                "PUT",
                payload(&[], &[(&at("src/main.c"), false)], &[])
            ),
            delete(&at("src"), false),
            delete(&at("include"), false),
        ]
    );
}

#[test]
fn a_shell_default_is_left_to_the_shell_when_not_overridden() {
    // `BRANCH ?= $(shell ...)` with no override runs the shell's command
    // substitution: the branch pushed is not known from the line.
    let found = with_fragments(&[("mk/git.mk", GIT_MK)], "make push");
    let pushes = of_kind(&found, "git_push");
    assert_eq!(pushes.len(), 1, "{found:?}");
    assert_ne!(pushes[0], push_to("release/2026.11", false));
    assert_eq!(pushes[0]["remote"], "origin");
}
