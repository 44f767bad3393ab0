//! Inline interpreter code that decodes the command it runs from literals
//! (`os.system(base64.b64decode('...').decode())`, `system(scalar reverse
//! q{...})`, `system(decode_base64("..."))`): the decoded command is
//! analysed as if the code had written it out, and code that only prints
//! decoded text, or decodes what it cannot see, runs nothing.

use crate::common;
use common::*;
use serde_json::Value;

/// The effects of the command the obfuscated forms hide, written out.
fn plain(program: &str, code: &str) -> Value {
    effects_after(&[], &format!("{program} -e {code}"))
}

fn assert_same(cases: &[&str], written_out: &Value) {
    for command in cases {
        assert_eq!(
            &effects_after(&[], command),
            written_out,
            "effects of: {command}"
        );
    }
}

#[test]
fn python_decoded_commands_run_as_written_out() {
    let written_out = effects_after(&[], r#"python3 -c "import os; os.system('rm -rf dist')""#);
    assert!(
        written_out
            .as_array()
            .is_some_and(|e| e.contains(&delete(&at("dist"), true))),
        "{written_out}"
    );
    assert_same(
        &[
            r#"python3 -c "import base64,os; os.system(base64.b64decode('cm0gLXJmIGRpc3Q=').decode())""#,
            r#"python3 -c "import base64,os; os.system(base64.b64decode(b'cm0gLXJm' + b'IGRpc3Q=').decode('utf-8'))""#,
            r#"python3 -c "import os; os.system(bytes.fromhex('726d202d72662064697374').decode())""#,
            r#"python3 -c "import os,binascii; os.system(binascii.unhexlify('726d202d72662064697374').decode())""#,
            r#"python3 -c "import os,codecs; os.system(codecs.decode('ez -es qvfg', 'rot13'))""#,
            r#"python3 -c "import os; os.system('tsid fr- mr'[::-1])""#,
            r#"python3 -c "import os; os.system(''.join(map(chr, [114, 109, 32, 45, 114, 102, 32, 100, 105, 115, 116])))""#,
            r#"python3 -c "import os; os.system(''.join(chr(c) for c in [0x72, 109, 32, 45, 114, 102, 32, 100, 105, 115, 116]))""#,
            r#"python3 -c "import os; os.system(bytes([114, 109, 32, 45, 114, 102, 32, 100, 105, 115, 116]).decode())""#,
            r#"python3 -c "import base64,subprocess; subprocess.run(base64.b64decode('cm0gLXJmIGRpc3Q=').decode(), shell=True)""#,
            r#"python3 -c "import base64,os; c = base64.b64decode('cm0gLXJmIGRpc3Q=').decode(); os.system(c)""#,
            // Decoded Python code, run in place.
            r#"python3 -c "import base64; exec(base64.b64decode('aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ3JtIC1yZiBkaXN0Jyk='))""#,
        ],
        &written_out,
    );
}

#[test]
fn perl_decoded_commands_run_as_written_out() {
    let written_out = plain("perl", "'system(\"rm -rf dist\")'");
    assert!(
        written_out
            .as_array()
            .is_some_and(|e| e.contains(&delete(&at("dist"), true))),
        "{written_out}"
    );
    assert_same(
        &[
            "perl -e 'system(scalar reverse q{tsid fr- mr})'",
            "perl -e 'system(scalar(reverse(\"tsid fr- mr\")))'",
            "perl -e 'my $c = reverse \"tsid fr- mr\"; system($c)'",
            r#"perl -MMIME::Base64 -e 'system(decode_base64("cm0gLXJmIGRpc3Q="))'"#,
            r#"perl -MMIME::Base64 -e 'system decode_base64 "cm0gLXJmIGRpc3Q="'"#,
            r#"perl -e 'system(pack("H*", "726d202d72662064697374"))'"#,
            r#"perl -e 'system(join("", map { chr } (114, 109, 32, 45, 114, 102, 32, 100, 105, 115, 116)))'"#,
            r#"perl -e 'system(join "", map { chr($_) } 114, 109, 32, 45, 114, 102, 32, 100, 105, 115, 116)'"#,
            r#"perl -e 'system("rm -rf "."dist")'"#,
            r#"perl -e 'exec(scalar reverse q(tsid fr- mr))'"#,
            r#"perl -e 'eval q{system("rm -rf dist")}'"#,
        ],
        &written_out,
    );
}

#[test]
fn other_languages_decoded_commands_run_as_written_out() {
    let ruby = plain("ruby", "'system(\"rm -rf dist\")'");
    assert_same(
        &[
            r#"ruby -rbase64 -e 'system(Base64.decode64("cm0gLXJmIGRpc3Q="))'"#,
            r#"ruby -e 'system("tsid fr- mr".reverse)'"#,
            r#"ruby -e 'system([114, 109, 32, 45, 114, 102, 32, 100, 105, 115, 116].pack("c*"))'"#,
        ],
        &ruby,
    );
    let node = plain(
        "node",
        "\"require('child_process').execSync('rm -rf dist')\"",
    );
    assert_same(
        &[
            r#"node -e "require('child_process').execSync(Buffer.from('cm0gLXJmIGRpc3Q=', 'base64').toString())""#,
            r#"node -e "require('child_process').execSync(atob('cm0gLXJmIGRpc3Q='))""#,
            r#"node -e "require('child_process').execSync('tsid fr- mr'.split('').reverse().join(''))""#,
            r#"node -e "require('child_process').execSync(String.fromCharCode(114, 109, 32, 45, 114, 102, 32, 100, 105, 115, 116))""#,
        ],
        &node,
    );
}

#[test]
fn decoded_text_that_is_not_run_runs_nothing() {
    for command in [
        // Printed, not run.
        r#"python3 -c "import base64; print(base64.b64decode('cm0gLXJmIGRpc3Q=').decode())""#,
        "perl -e 'print scalar reverse q{tsid fr- mr}'",
        // List context: `reverse` of one string is that string, unreversed.
        "perl -e 'system(reverse q{tsid fr- mr})'",
        // Decoded from what the line does not show.
        r#"python3 -c "import base64,os; os.system(base64.b64decode(os.environ['CMD']).decode())""#,
        r#"perl -MMIME::Base64 -e 'system(decode_base64($ARGV[0]))' x"#,
    ] {
        let effects = effects_after(&[], command);
        assert!(
            !effects
                .as_array()
                .is_some_and(|e| e.contains(&delete(&at("dist"), true))),
            "{command}: {effects}"
        );
    }
}
