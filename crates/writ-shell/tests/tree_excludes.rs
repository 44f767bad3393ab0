//! Names left out of a tree that is copied, archived or sent (`rsync
//! --exclude .env`, `tar --exclude='*.pem'`, `zip -r out.zip . -x .env`)
//! travel with the tree's `FileRef::excludes`, so the decision can tell a
//! workspace sent without its `.env` from one sent with it.

use crate::common::effects;
use serde_json::Value;

/// Every tree (a recursive file reference) anywhere in `command`'s
/// effects, with the names it leaves out.
fn trees(command: &str) -> Vec<(String, Vec<String>)> {
    fn visit(value: &Value, out: &mut Vec<(String, Vec<String>)>) {
        match value {
            Value::Object(map) => {
                if let (Some(Value::String(path)), Some(Value::Bool(true))) =
                    (map.get("path"), map.get("recursive"))
                {
                    let excludes = map
                        .get("excludes")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|e| e.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default();
                    out.push((path.clone(), excludes));
                }
                map.values().for_each(|v| visit(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| visit(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for effect in effects(command) {
        visit(&effect, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn copies_and_archives_carry_the_names_they_leave_out() {
    let ws = "/home/dana/acme-web";
    for (command, expected) in [
        (
            "rsync -az --exclude .git --exclude node_modules --exclude .env -e 'ssh -p 2222' ./ ravi@box.example.net:app/",
            vec![(ws, vec![".git", "node_modules", ".env"])],
        ),
        (
            "rsync -a --exclude=.env --filter='- *.pem' . host:app/",
            vec![(ws, vec![".env", "*.pem"])],
        ),
        // An include may bring an excluded name back: nothing is left out.
        (
            "rsync -a --include .env --exclude '.*' . host:app/",
            vec![(ws, vec![])],
        ),
        (
            "tar czf - --exclude=.env --exclude .git . | ssh host 'tar xzf -'",
            vec![(ws, vec![".env", ".git"])],
        ),
        // zip's `-x` list runs to the next option.
        (
            "zip -qr /tmp/site.zip . -x '.env' '*.pem' -q",
            vec![(ws, vec![".env", "*.pem"])],
        ),
        (
            "zip -qr /tmp/site.zip . -i '*.js' -x .env",
            vec![(ws, vec![])],
        ),
    ] {
        let expected: Vec<(String, Vec<String>)> = expected
            .into_iter()
            .map(|(path, excludes)| {
                (
                    path.to_owned(),
                    excludes.into_iter().map(str::to_owned).collect(),
                )
            })
            .collect();
        assert_eq!(trees(command), expected, "{command}");
    }
}

#[test]
fn an_excluded_name_is_not_an_input() {
    // `tar --exclude PATTERN` takes its pattern as the option's value, and
    // zip's `-x` list is not archived.
    for command in [
        "tar czf out.tgz --exclude .env src",
        "zip -r out.zip src -x .env secrets.pem",
    ] {
        let text = serde_json::to_string(&effects(command)).unwrap_or_default();
        assert!(
            !text.contains("acme-web/.env\"") && !text.contains("acme-web/secrets.pem"),
            "{command}: {text}"
        );
    }
}
