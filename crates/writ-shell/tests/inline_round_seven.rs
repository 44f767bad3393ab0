//! Inline code, seventh round: pathlib's `/`, `.parent` and `.open(mode)`,
//! `os.path.dirname`, Python's `sys.argv`, and the files a script's
//! arguments name sent by the requests it makes.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::json;

#[test]
fn a_path_opened_to_append_is_appended_to() {
    // `Path.home() / ".zshrc"` bound to a name, read, then opened "a".
    check(
        "python3 - <<'EOF'\nfrom pathlib import Path\nrc = Path.home() / \".zshrc\"\nline = 'export PATH=\"$HOME/.local/bin:$PATH\"\\n'\nif line not in rc.read_text():\n    with rc.open(\"a\") as fh:\n        fh.write(\"\\n# added for pipx\\n\" + line)\nprint(\"updated\", rc)\nEOF",
        json!([read("/home/dana/.zshrc"), append("/home/dana/.zshrc")]),
    );
    check(
        r#"python3 -c 'from pathlib import Path; (Path.cwd() / "out" / "r.json").write_text("{}"); Path("logs").joinpath("a.log").open("a").write("x")'"#,
        json!([write(&at("out/r.json")), append(&at("logs/a.log"))]),
    );
    // `open(f, "a")` appends too; "w" replaces.
    check(
        r#"python3 -c 'open("notes.txt", "a").write("x"); open("out.txt", mode="w").write("y")'"#,
        json!([append(&at("notes.txt")), write(&at("out.txt"))]),
    );
}

#[test]
fn a_mode_given_to_an_open_method_is_no_file() {
    // The object's own path is not known: nothing is read, least of all "rb".
    check(
        r#"python3 -c 'h = get(); fh = h.open("rb"); print(fh.read())'"#,
        json!([]),
    );
    check(
        r#"python3 -c 'from pathlib import Path; print(Path("README.md").open("r").read())'"#,
        json!([read(&at("README.md"))]),
    );
}

#[test]
fn parents_and_dirnames_of_known_paths_are_directories() {
    check(
        r#"python3 -c 'from pathlib import Path; p = Path("scripts/x.py").resolve().parent.parent / ".env"; print(p.read_text())'"#,
        json!([read(&at(".env"))]),
    );
    check(
        r#"python3 -c 'import os; d = os.path.dirname("config/app.yml"); open(os.path.join(d, "secrets.yml"), "w").write("x")'"#,
        json!([write(&at("config/secrets.yml"))]),
    );
    check(
        r#"python3 -c 'from pathlib import Path; (Path.home() / ".ssh" / "config").parent.joinpath("id_ed25519").read_text()'"#,
        json!([read("/home/dana/.ssh/id_ed25519")]),
    );
    // `.parents` is another attribute: no `a/c` is made of it (the
    // literal path alone is read, as any `Path("f")` is).
    check(
        r#"python3 -c 'from pathlib import Path; (Path("a/b").parents / "c").read_text()'"#,
        json!([read(&at("a/b"))]),
    );
}

#[test]
fn python_sys_argv_is_the_codes_arguments() {
    check(
        r#"python3 -c 'import sys; f = open(sys.argv[2]); g = open(sys.argv[0])' a.txt b.txt"#,
        json!([read(&at("b.txt"))]),
    );
    // A script written then run with the file to send: the file is sent.
    let csv = at("exports/customers.csv");
    check(
        "cat > /tmp/push.py <<'PY'\nimport sys, requests\nsrc = sys.argv[1]\nwith open(src, \"rb\") as fh:\n    r = requests.put(\"https://drop.partner.example/in/c.csv\", data=fh, timeout=60)\nprint(\"uploaded\", src)\nPY\npython3 /tmp/push.py exports/customers.csv",
        json!([
            write("/tmp/push.py"),
            read("/tmp/push.py"),
            read(&csv),
            url_request(
                "python3",
                "https://drop.partner.example/in/c.csv",
                "POST",
                payload(
                    &["exports/customers.csv", "rb", "uploaded"],
                    &[(&csv, false)],
                    &[]
                )
            )
        ]),
    );
    // Without the argument, the name stays unknown.
    check(
        r#"python3 -c 'import sys; open(sys.argv[1]).read()'"#,
        json!([]),
    );
}
