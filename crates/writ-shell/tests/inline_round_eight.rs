//! Programs of the JVM's, .NET's and Go's languages written by a heredoc
//! and then run (`java F.java`, `kotlinc -script F.main.kts`, `dotnet
//! script F.csx`, `go run F.go`): the script's text is read as code, and
//! the calls of helper functions that hand their varargs to a process
//! runner are read as the commands they run.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::Value;

/// The effects of `command` of the kind `kind`.
fn of_kind(command: &str, kind: &str) -> Vec<Value> {
    effects(command)
        .into_iter()
        .filter(|e| e["effect"] == kind)
        .collect()
}

/// The destinations and force flags of the pushes `command` makes.
fn pushes(command: &str) -> Vec<(String, bool)> {
    of_kind(command, "git_push")
        .iter()
        .flat_map(|p| {
            let force = p["force"].as_bool().unwrap_or_default();
            p["refspecs"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |r| {
                    let dst = r["dst"].as_str().unwrap_or_default().to_owned();
                    (dst, force || r["force"].as_bool().unwrap_or_default())
                })
        })
        .collect()
}

#[test]
fn java_varargs_wrapper_around_process_builder_runs_its_arguments() {
    let command = "cat > /tmp/ShipIt.java <<'EOF'\npublic class ShipIt {\n    static void run(String... cmd) throws Exception {\n        int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();\n        if (rc != 0) throw new IllegalStateException(String.join(\" \", cmd) + \" -> \" + rc);\n    }\n    public static void main(String[] args) throws Exception {\n        run(\"./gradlew\", \"test\");\n        run(\"git\", \"push\", \"origin\", \"HEAD:main\");\n    }\n}\nEOF\njava /tmp/ShipIt.java";
    assert_eq!(pushes(command), vec![("main".to_owned(), false)]);
    // `Runtime.getRuntime().exec(cmd)` too.
    let command = "cat > /tmp/P.java <<'EOF'\nclass P {\n  static Process sh(String... cmd) throws Exception { return Runtime.getRuntime().exec(cmd); }\n  public static void main(String[] a) throws Exception { sh(\"git\", \"push\", \"--force\", \"origin\", \"dev\").waitFor(); }\n}\nEOF\njava -cp . /tmp/P.java";
    assert_eq!(pushes(command), vec![("dev".to_owned(), true)]);
}

#[test]
fn kotlin_wrapper_spreads_its_varargs_after_fixed_words() {
    let command = "cat > /tmp/rebase-push.main.kts <<'EOF'\nfun git(vararg args: String) {\n    val p = ProcessBuilder(\"git\", *args).inheritIO().start()\n    check(p.waitFor() == 0) { \"git ${args.joinToString(\" \")} failed\" }\n}\n\ngit(\"fetch\", \"origin\", \"main\")\ngit(\"push\", \"--force-with-lease\", \"origin\", \"feature/x\")\nEOF\nkotlinc -script /tmp/rebase-push.main.kts";
    assert_eq!(pushes(command), vec![("feature/x".to_owned(), true)]);
}

#[test]
fn go_wrapper_splitting_program_and_arguments_runs_them() {
    let command = "mkdir -p /tmp/retag && cat > /tmp/retag/main.go <<'EOF'\npackage main\n\nimport (\n\t\"os\"\n\t\"os/exec\"\n)\n\nfunc run(args ...string) {\n\tcmd := exec.Command(args[0], args[1:]...)\n\tcmd.Stdout = os.Stdout\n\t_ = cmd.Run()\n}\n\nfunc git(dir string, args ...string) {\n\t_ = exec.Command(\"git\", \"-C\", dir, args...).Run()\n}\n\nfunc main() {\n\trun(\"git\", \"push\", \"--force-with-lease\", \"origin\", \"HEAD:refs/heads/release/1\")\n\tgit(\".\", \"push\", \"origin\", \"HEAD:main\")\n}\nEOF\ngo run /tmp/retag/main.go";
    assert_eq!(
        pushes(command),
        vec![("release/1".to_owned(), true), ("main".to_owned(), false)]
    );
}

#[test]
fn csharp_script_deletes_a_bound_directory_and_joins_wrapper_arguments() {
    let command = "cat > /tmp/reclone.csx <<'EOF'\nusing System.Diagnostics;\n\nvar root = \"/home/dana/acme-web\";\nDirectory.Delete(root, recursive: true);\nEOF\ndotnet script /tmp/reclone.csx";
    assert!(of_kind(command, "delete").contains(&delete(W, true)));
    let command = "cat > /tmp/g.csx <<'EOF'\nstatic void Git(params string[] a) { Process.Start(\"git\", string.Join(\" \", a)).WaitForExit(); }\nGit(\"push\", \"-f\", \"origin\", \"main\");\nEOF\ndotnet script /tmp/g.csx";
    assert_eq!(pushes(command), vec![("main".to_owned(), true)]);
}

#[test]
fn other_programs_and_calls_stay_as_written() {
    // A jar runs, not the source file it is given; a script whose text is
    // not known is read.
    let source = "cat > /tmp/S.java <<'EOF'\nclass S { static void r(String... c) throws Exception { new ProcessBuilder(c).start(); } public static void main(String[] a) throws Exception { r(\"git\", \"push\", \"origin\", \"main\"); } }\nEOF\n";
    assert_eq!(pushes(&format!("{source}java /tmp/S.java")).len(), 1);
    assert!(pushes(&format!("{source}java -jar /tmp/tool.jar /tmp/S.java")).is_empty());
    assert_eq!(
        of_kind("kotlinc -script /tmp/x.main.kts", "read").len(),
        1,
        "the script is read"
    );
    // A named argument at the call, and a function that runs nothing.
    let command = "cat > /tmp/n.main.kts <<'EOF'\nfun git(vararg args: String) { ProcessBuilder(\"git\", *args).start() }\nfun log(vararg parts: String) { println(listOf(*parts)) }\ngit(args = arrayOf(\"push\", \"-f\"))\nlog(\"git\", \"push\", \"-f\")\nEOF\nkotlinc -script /tmp/n.main.kts";
    assert!(pushes(command).is_empty());
}
