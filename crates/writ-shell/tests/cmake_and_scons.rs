//! CMake, Ninja, Meson and SCons: installs write under their prefix (the
//! line's, the one configure recorded, or `/usr/local`), and builds run
//! the commands a known CMakeLists.txt or SConstruct gives their targets.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::json;
use writ_shell::{ShellContext, analyze};

/// The paths of the writes among `effects`.
fn writes(effects: &[serde_json::Value]) -> Vec<String> {
    of_kind(effects, "write")
        .iter()
        .map(|w| w["path"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn installs_write_under_the_prefix_the_line_gives_or_cmakes_default() {
    run_table(&[
        (
            "cmake --install build/rel --component cli --prefix ~/.local",
            json!([write("/home/dana/.local")]),
        ),
        (
            "cmake --install build/rel --prefix ./stage --strip",
            json!([write(&at("stage"))]),
        ),
        ("cmake --install build", json!([write("/usr/local")])),
        (
            "DESTDIR=/tmp/pkg cmake --install build",
            json!([write("/tmp/pkg/usr/local")]),
        ),
        ("sudo ninja -C build install", json!([write("/usr/local")])),
        (
            "cmake --build build --target install",
            json!([write("/usr/local")]),
        ),
        (
            "DESTDIR=/tmp/wc meson install -C builddir --no-rebuild",
            json!([write("/tmp/wc/usr/local")]),
        ),
        (
            "meson install -C builddir --destdir /tmp/wc",
            json!([write("/tmp/wc/usr/local")]),
        ),
        // Building, testing and dry runs install nothing.
        ("ninja -C build -n install", json!([])),
        ("cmake --build build --parallel 8", json!([])),
        ("meson install -C builddir --dry-run", json!([])),
    ]);
}

#[test]
fn installs_use_the_prefix_the_configure_step_recorded() {
    let cases = [
        (
            "cmake -S . -B build -DCMAKE_INSTALL_PREFIX=/opt/fleet && cmake --build build --target install",
            vec![at("build/CMakeCache.txt"), "/opt/fleet".to_owned()],
        ),
        (
            "cmake -B build --install-prefix stage && make -C build install DESTDIR=/tmp/p",
            vec![at("build/CMakeCache.txt"), format!("/tmp/p{}", at("stage"))],
        ),
        (
            "cmake -B build -DCMAKE_INSTALL_PREFIX:PATH=stage -G Ninja && ninja -C build install",
            vec![at("build/CMakeCache.txt"), at("stage")],
        ),
        (
            "meson setup b --prefix=/opt/w && meson install -C b",
            vec![
                at("b/meson-info/intro-buildoptions.json"),
                "/opt/w".to_owned(),
            ],
        ),
    ];
    for (command, expected) in cases {
        assert_eq!(writes(&effects(command)), expected, "{command}");
    }
}

#[test]
fn a_cache_an_earlier_step_read_or_wrote_gives_the_prefix() {
    let cache = "# This is the CMakeCache file.\nCMAKE_GENERATOR:INTERNAL=Ninja\nCMAKE_INSTALL_PREFIX:PATH=/home/dana/.local\n";
    for command in [
        "cmake --install build",
        "sudo ninja -C build install",
        "make -C build install",
        "cmake --build build --target install",
    ] {
        let found = after_files(&[("build/CMakeCache.txt", cache)], command);
        assert_eq!(writes(&found), ["/home/dana/.local"], "{command}");
    }
    // The line's own prefix wins; make in a directory that is not a known
    // CMake build directory is the Makefile's business.
    let found = after_files(
        &[("build/CMakeCache.txt", cache)],
        "cmake --install build --prefix /opt/x",
    );
    assert_eq!(writes(&found), ["/opt/x"]);
    let found = after_files(&[("build/CMakeCache.txt", cache)], "make -C other install");
    assert_eq!(writes(&found), Vec::<String>::new());

    // A configure step keeps what the cache held, and the next step finds it.
    let ctx = ShellContext {
        written: &[text_file(&at("build/CMakeCache.txt"), cache)],
        ..CTX
    };
    let configured =
        analyze("cmake -S . -B build -DFLEET_TESTS=OFF", &ctx).unwrap_or_else(|e| panic!("{e}"));
    let found = effects_after(&configured.written, "cmake --install build");
    assert_eq!(found, json!([write("/home/dana/.local")]));
}

const LISTS: &str = r#"cmake_minimum_required(VERSION 3.20)
project(probe C)
set(UPLOAD_URL "" CACHE STRING "Where reports go")
set(NOTIFY ${CMAKE_SOURCE_DIR}/tools/notify.py)
add_library(core src/a.c ${CMAKE_CURRENT_BINARY_DIR}/gen.c)
add_custom_command(OUTPUT gen.c
  COMMAND python3 ${CMAKE_SOURCE_DIR}/gen.py -o gen.c
  DEPENDS gen.py)
add_custom_target(push
  COMMAND curl -fsS -T report.txt "${UPLOAD_URL}" -H "Authorization: Bearer $ENV{API_TOKEN}"
  DEPENDS core
  VERBATIM)
add_custom_command(TARGET core POST_BUILD COMMAND python3 ${NOTIFY} --done)
# add_custom_target(commented COMMAND rm -rf /)
function(helper)
  add_custom_target(never COMMAND rm -rf /srv)
endfunction()
"#;

#[test]
fn a_build_target_runs_its_custom_commands_with_the_configured_variables() {
    let line = "cmake -S . -B build -DUPLOAD_URL=https://reports.example.com/u && cmake --build build --target push";
    let found = after_files(&[("CMakeLists.txt", LISTS)], line);
    assert_eq!(request_lines(&found), ["PUT https://reports.example.com/u"]);
    let request = of_kind(&found, "request");
    assert_eq!(request[0]["payload"]["env"], json!(["API_TOKEN"]));
    assert_eq!(
        request[0]["payload"]["files"][0]["path"],
        json!(at("build/report.txt"))
    );
    // Its dependencies ran first: the generated source's command, the
    // library's post-build step.
    let reads: Vec<String> = of_kind(&found, "read")
        .iter()
        .filter_map(|r| r["file"]["path"].as_str())
        .map(|p| p.rsplit('/').next().unwrap_or(p).to_owned())
        .collect();
    assert_eq!(reads, ["gen.py", "notify.py"]);

    // Another target runs only its own; a function's body never runs.
    for line in [
        "cmake -S . -B build && cmake --build build --target core",
        "cmake -B build && ninja -C build core",
        "cmake -B build && cmake --build build --target never",
    ] {
        let found = after_files(&[("CMakeLists.txt", LISTS)], line);
        assert_eq!(request_lines(&found), Vec::<String>::new(), "{line}");
        assert!(of_kind(&found, "delete").is_empty(), "{line}");
    }
}

#[test]
fn a_build_without_a_known_cache_reads_the_project_above_it() {
    let lists = "add_custom_target(activate COMMAND curl -X POST https://seat.example.net/v1 -d \"host=$ENV{HOSTNAME}\" VERBATIM)\n";
    let found = after_files(
        &[("CMakeLists.txt", lists)],
        "cmake --build build/rel --target activate",
    );
    assert_eq!(request_lines(&found), ["POST https://seat.example.net/v1"]);
    assert_eq!(
        of_kind(&found, "request")[0]["payload"]["env"],
        json!(["HOSTNAME"])
    );
}

#[test]
fn configure_runs_execute_process_and_subdirectories() {
    let top = "project(p)\nadd_subdirectory(tools)\nexecute_process(COMMAND curl -fsSL https://get.example.dev/setup.sh OUTPUT_VARIABLE SETUP)\n";
    let tools = "set(DROP https://drop.example.org/in)\nadd_custom_target(share COMMAND curl -T ${CMAKE_CURRENT_SOURCE_DIR}/data.csv ${DROP})\n";
    let files = [("CMakeLists.txt", top), ("tools/CMakeLists.txt", tools)];
    let found = after_files(&files, "cmake -S . -B build");
    assert_eq!(
        request_lines(&found),
        ["GET https://get.example.dev/setup.sh"]
    );
    let found = after_files(
        &files,
        "cmake -S . -B build && cmake --build build -t share",
    );
    assert_eq!(
        request_lines(&found),
        [
            "GET https://get.example.dev/setup.sh",
            "PUT https://drop.example.org/in"
        ]
    );
}

const SCONSTRUCT: &str = r#"import os
env = Environment(ENV=os.environ, PY='python3')
batch = ARGUMENTS.get('batch', '2026-11')
dest = ARGUMENTS.get('dest', 'factory@sftp.example.net:/inbound/')

def notify(target, source, env):
    os.system('rm -rf /srv')

labels = env.Command('build/labels-%s.pdf' % batch,
                     'data/customers.csv',
                     '$PY tools/labels.py --batch %s $SOURCE -o $TARGET' % batch)
ship = env.Command(f'build/.shipped-{batch}', ['data/customers.csv', labels],
                   ['rsync -avz $SOURCES ' + dest, Touch('$TARGET')])
env.Alias('ship', ship)
env.Alias('publish', [], 'curl -T README.md https://up.example.org/$$USER')
env.Alias('install', env.Install('/opt/tools', 'tools/run.sh'))
Default(labels)
"#;

#[test]
fn scons_runs_the_actions_of_the_targets_it_builds() {
    let files = [("SConstruct", SCONSTRUCT)];
    let found = after_files(&files, "scons -Q ship batch=2026-12");
    let rsync = of_kind(&found, "request");
    assert_eq!(rsync.len(), 1);
    assert_eq!(rsync[0]["program"], "rsync");
    assert_eq!(rsync[0]["target"]["host"], "sftp.example.net");
    assert_eq!(
        rsync[0]["payload"]["files"],
        json!([
            {"path": at("data/customers.csv"), "recursive": true},
            {"path": at("build/labels-2026-12.pdf"), "recursive": true},
        ])
    );
    // The labels were made first, and the stamp written last.
    assert_eq!(
        of_kind(&found, "read")[0]["file"]["path"],
        json!(at("tools/labels.py"))
    );
    assert_eq!(writes(&found), [at("build/.shipped-2026-12")]);

    // The line's arguments bind `ARGUMENTS`.
    let found = after_files(&files, "scons ship dest=me@mine.example.com:/x");
    assert_eq!(
        of_kind(&found, "request")[0]["target"]["host"],
        "mine.example.com"
    );

    // An alias's own action; an install's copy; the default target alone.
    let found = after_files(&files, "scons publish");
    assert_eq!(request_lines(&found), ["PUT https://up.example.org/$USER"]);
    let found = after_files(&files, "scons install");
    assert_eq!(writes(&found), ["/opt/tools/run.sh"]);
    let found = after_files(&files, "scons");
    assert_eq!(of_kind(&found, "request"), Vec::<serde_json::Value>::new());
    assert_eq!(of_kind(&found, "read").len(), 1);
}

#[test]
fn scons_finds_its_sconstruct_where_it_looks() {
    let found = after_files(&[("fw/SConstruct", SCONSTRUCT)], "scons -C fw ship");
    assert_eq!(
        of_kind(&found, "request")[0]["payload"]["files"][0]["path"],
        json!(at("fw/data/customers.csv"))
    );
    let found = after_files(&[("SConstruct", SCONSTRUCT)], "cd sub && scons -u ship");
    assert_eq!(of_kind(&found, "request").len(), 1);
    // Not upward without `-u`; dry runs, cleans and help build nothing.
    for line in [
        "cd sub && scons ship",
        "scons -n ship",
        "scons --dry-run ship",
        "scons -c ship",
        "scons -h",
    ] {
        let found = after_files(&[("SConstruct", SCONSTRUCT)], line);
        assert_eq!(
            of_kind(&found, "request"),
            Vec::<serde_json::Value>::new(),
            "{line}"
        );
    }
}
