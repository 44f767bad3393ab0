//! Patches applied from the shell (`apply_patch`, `patch`, `git apply`),
//! `sponge`, and paths that inline code builds rather than writes out.
//! Each case is a command line and the exact effects `analyze` reports,
//! run in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::json;

use crate::common;
use common::*;

#[test]
fn apply_patch_as_a_command() {
    let settings = at(".claude/settings.json");
    run_table(&[
        // Codex's argv form, as writ-core joins it into a line.
        (
            "apply_patch '*** Begin Patch\n*** Update File: .codex/config.toml\n@@\n-x\n+y\n*** End Patch\n'",
            json!([write(&at(".codex/config.toml"))]),
        ),
        (
            "applypatch '*** Begin Patch\n*** Update File: .claude/settings.json\n@@\n-x\n+y\n*** End Patch'",
            json!([write(&settings)]),
        ),
        // A heredoc on standard input; every kind of change.
        (
            "apply_patch <<'PATCH'\n*** Begin Patch\n*** Add File: src/new.rs\n+fn x() {}\n*** Delete File: old.txt\n*** Update File: a.rs\n*** Move to: b.rs\n@@\n-1\n+2\n*** End Patch\nPATCH",
            json!([
                write(&at("src/new.rs")),
                delete(&at("old.txt"), false),
                write(&at("a.rs")),
                write(&at("b.rs"))
            ]),
        ),
        // Inside `bash -lc`, after a `cd`.
        (
            "bash -lc \"cd .claude && apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: settings.json\n@@\n-{}\n+{\\\"hooks\\\": {}}\n*** End Patch\nEOF\"",
            json!([write(&settings)]),
        ),
        // A here-string and a pipe.
        (
            "apply_patch <<< '*** Begin Patch\n*** Add File: /home/dana/.bashrc\n+curl x | sh\n*** End Patch'",
            json!([write("/home/dana/.bashrc")]),
        ),
        (
            "printf '*** Begin Patch\\n*** Delete File: .writ/policy.cedar\\n*** End Patch\\n' | apply_patch",
            json!([delete(&at(".writ/policy.cedar"), false)]),
        ),
        // Only workspace files.
        (
            "apply_patch '*** Begin Patch\n*** Update File: src/lib.rs\n@@\n-a\n+b\n*** End Patch'",
            json!([write(&at("src/lib.rs"))]),
        ),
        // A patch file whose contents the line does not show: read only.
        ("apply_patch < fix.patch", json!([read(&at("fix.patch"))])),
    ]);
}

#[test]
fn unified_diffs_through_patch_and_git_apply() {
    let settings = at(".claude/settings.json");
    let diff = "--- a/.claude/settings.json\n+++ b/.claude/settings.json\n@@ -1 +1 @@\n-{}\n+{\"hooks\": {}}";
    let git_diff = "diff --git a/src/x.rs b/src/x.rs\nindex 1..2 100644\n--- a/src/x.rs\n+++ b/src/x.rs\n@@ -1 +1 @@\n-a\n+b";
    let cases = [
        (
            format!("patch -p1 <<'EOF'\n{diff}\nEOF"),
            json!([write(&settings)]),
        ),
        (
            format!("patch -p0 <<'EOF'\n{diff}\nEOF"),
            json!([write(&at("b/.claude/settings.json"))]),
        ),
        // Without `-p`, patch keeps only the base name.
        (
            format!("patch <<'EOF'\n{diff}\nEOF"),
            json!([write(&at("settings.json"))]),
        ),
        (
            format!("patch --dry-run -p1 <<'EOF'\n{diff}\nEOF"),
            json!([]),
        ),
        (
            format!("patch -d /home/dana -p1 <<'EOF'\n{diff}\nEOF"),
            json!([write("/home/dana/.claude/settings.json")]),
        ),
        // The file is named on the command line.
        (
            format!("patch .claude/settings.json <<'EOF'\n{diff}\nEOF"),
            json!([write(&settings)]),
        ),
        // A removal, and the same patch backwards.
        (
            "patch -p1 <<'EOF'\n--- a/.writ/ledger.db\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\nEOF"
                .to_owned(),
            json!([delete(&at(".writ/ledger.db"), false)]),
        ),
        (
            "patch -R -p1 <<'EOF'\n--- a/.writ/ledger.db\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\nEOF"
                .to_owned(),
            json!([write(&at(".writ/ledger.db"))]),
        ),
        // A diff written earlier on the line, then applied from that file.
        (
            format!("cat > /tmp/f.diff <<'EOF'\n{diff}\nEOF\npatch -p1 < /tmp/f.diff"),
            json!([write("/tmp/f.diff"), read("/tmp/f.diff"), write(&settings)]),
        ),
        (
            "patch -p1 < fix.diff".to_owned(),
            json!([read(&at("fix.diff"))]),
        ),
        (
            format!("git apply <<'EOF'\n{diff}\nEOF"),
            json!([write(&settings)]),
        ),
        (
            format!("git apply - <<'EOF'\n{git_diff}\nEOF"),
            json!([write(&at("src/x.rs"))]),
        ),
        (
            "git -C sub apply -p0 --directory=lib <<'EOF'\n--- x.rs\n+++ x.rs\n@@ -1 +1 @@\n-a\n+b\nEOF"
                .to_owned(),
            json!([write(&at("sub/lib/x.rs"))]),
        ),
        (format!("git apply --check <<'EOF'\n{diff}\nEOF"), json!([])),
        (
            format!("git apply --cached <<'EOF'\n{diff}\nEOF"),
            json!([]),
        ),
        (
            "git apply fix.patch".to_owned(),
            json!([read(&at("fix.patch"))]),
        ),
        // A patch file written earlier on the line, applied by name.
        (
            format!("cat > /tmp/f.diff <<'EOF'\n{diff}\nEOF\ngit apply /tmp/f.diff"),
            json!([write("/tmp/f.diff"), read("/tmp/f.diff"), write(&settings)]),
        ),
        (
            format!("cat > /tmp/f.diff <<'EOF'\n{diff}\nEOF\npatch -p1 -i /tmp/f.diff"),
            json!([write("/tmp/f.diff"), read("/tmp/f.diff"), write(&settings)]),
        ),
        // One of two files unknown: what the diff changes is unknown.
        (
            format!("cat > /tmp/f.diff <<'EOF'\n{diff}\nEOF\ngit apply /tmp/f.diff other.diff"),
            json!([write("/tmp/f.diff"), read("/tmp/f.diff"), read(&at("other.diff"))]),
        ),
    ];
    for (command, expected) in cases {
        check(&command, expected);
    }
}

#[test]
fn sponge_writes_its_standard_input() {
    let settings = at(".claude/settings.json");
    run_table(&[
        (
            "jq '.hooks = {}' .claude/settings.json | sponge .claude/settings.json",
            json!([read(&settings), write(&settings)]),
        ),
        (
            "echo 'alias ls=rm' | sponge -a ~/.bashrc",
            json!([append("/home/dana/.bashrc")]),
        ),
        ("sort names.txt | sponge", json!([read(&at("names.txt"))])),
        (
            "sort names.txt | sponge names.txt",
            json!([read(&at("names.txt")), write(&at("names.txt"))]),
        ),
        // tee was a writer already.
        (
            "jq . a.json | tee .claude/settings.json",
            json!([read(&at("a.json")), write(&settings)]),
        ),
    ]);
}

#[test]
fn inline_code_paths_built_from_names_and_home() {
    let settings = at(".claude/settings.json");
    let aws = "/home/dana/.aws/credentials";
    run_table(&[
        (
            "python3 -c \"import os; print(open(os.path.expanduser('~/.aws/credentials')).read())\"",
            json!([read(aws)]),
        ),
        (
            "python3 -c \"import json; p='.claude/settings.json'; d=json.load(open(p)); d['hooks']={}; json.dump(d, open(p,'w'))\"",
            json!([read(&settings), write(&settings)]),
        ),
        (
            "python3 -c \"import os\np = '.claude/settings.json'\nos.remove(p)\"",
            json!([delete(&settings, false)]),
        ),
        (
            "node -e \"const fs = require('fs'); const p = '.claude/settings.json'; fs.writeFileSync(p, '{}')\"",
            json!([write(&settings)]),
        ),
        (
            "node -e \"console.log(require('fs').readFileSync(process.env.HOME + '/.aws/credentials', 'utf8'))\"",
            json!([read(aws)]),
        ),
        (
            "node -e 'console.log(require(\"fs\").readFileSync(`${process.env.HOME}/.aws/credentials`))'",
            json!([read(aws)]),
        ),
        (
            "node -e \"const os = require('os'); require('fs').readFileSync(os.homedir() + '/.npmrc')\"",
            json!([read("/home/dana/.npmrc")]),
        ),
        (
            "node -e \"const os = require('os'), path = require('path'); require('fs').readFileSync(path.join(os.homedir(), '.ssh', 'id_rsa'))\"",
            json!([read("/home/dana/.ssh/id_rsa")]),
        ),
        (
            "python3 -c \"import os; print(open(os.path.join(os.path.expanduser('~'), '.netrc')).read())\"",
            json!([read("/home/dana/.netrc")]),
        ),
        (
            "python3 -c \"from pathlib import Path; print((Path.home() / '.aws' / 'credentials').read_text())\"",
            json!([read(aws)]),
        ),
        (
            "python3 -c \"from pathlib import Path; (Path.home() / '.bashrc').write_text('x')\"",
            json!([write("/home/dana/.bashrc")]),
        ),
        (
            "python3 -c \"from pathlib import Path; p = Path.home() / '.ssh' / 'config'; p.write_text('Host *')\"",
            json!([write("/home/dana/.ssh/config")]),
        ),
        (
            "python3 -c \"import os; h = os.path.expanduser('~'); print(open(h + '/.aws/credentials').read())\"",
            json!([read(aws)]),
        ),
        (
            "python3 -c \"import os; print(open(f\\\"{os.environ['HOME']}/.aws/credentials\\\").read())\"",
            json!([read(aws)]),
        ),
        (
            "perl -e 'my $f = \"/etc/shadow\"; open(F, $f); print <F>'",
            json!([read("/etc/shadow")]),
        ),
        (
            "ruby -e 'puts File.read(File.join(Dir.home, \".aws/credentials\"))'",
            json!([read(aws)]),
        ),
    ]);
}

#[test]
fn inline_code_that_stays_in_the_workspace_or_is_unknown() {
    run_table(&[
        (
            "python3 -c \"p='README.md'; print(open(p).read())\"",
            json!([read(&at("README.md"))]),
        ),
        // A name whose value the code does not write out.
        (
            "python3 -c \"import sys; p = sys.argv[1]; open(p, 'w')\"",
            json!([]),
        ),
        (
            "python3 -c \"p = input(); q = p + '.bak'; open(q, 'w')\"",
            json!([]),
        ),
        // Attributes and keyword arguments of the same name are not it.
        (
            "python3 -c \"p='.env'; x.p = 1; print(dict(p=2))\"",
            json!([]),
        ),
        // A URL held in a name is one request.
        (
            "python3 -c \"import requests; u='https://api.acme.com/x'; requests.get(u)\"",
            json!([{"effect": "request", "program": "python3", "target": {"kind": "url", "url": "https://api.acme.com/x"}, "method": "GET", "payload": {"text": [], "files": [], "env": []}, "public": false}]),
        ),
    ]);
}
