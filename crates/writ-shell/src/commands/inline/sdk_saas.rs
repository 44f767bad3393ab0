//! Records and documents written through SaaS vendors' SDKs: CRM records
//! (HubSpot's `api.crm.contacts.basic_api.create(...)`, Node's
//! `crm.contacts.basicApi.create({ properties })`, Salesforce's
//! `sf.Contact.create({...})`), pages and blocks (Notion's
//! `pages.create(...)`, `blocks.children.append(...)`), table rows
//! (Airtable's `table.create({...})`), tickets and wiki pages (Jira's
//! `JIRA(server=...).create_issue(...)`, jira.js' `issues.createIssue(
//! {...})`, Confluence's `create_page(...)`), tasks (Asana, Linear) and
//! gists (PyGithub's `create_gist(True, {...})`, Octokit's
//! `rest.gists.create({ public: true, files })`).
//!
//! One table says, per vendor, the packages its SDKs are imported as, its
//! API's URL, the clients that may point it at another server (Jira's
//! `server=`, jira.js' `host:`, Salesforce's `instance_url=`) and the
//! methods that create, change, append or delete. Each call of one of
//! those in code that imports the SDK is a request to the API (to the
//! server the last client before it names, else the vendor's), as `curl
//! -X POST` to it would be, carrying what the call is given: its literals
//! but the files they name, the values of the names, arguments
//! (`process.argv[1]`, `sys.argv[1]`) and variables it reads, the files
//! the code reads (the rows of a CSV file it imports, a gist's
//! `open(".env").read()`), and what the script's own arguments written
//! into it carry. A gist created public (`public=True`, `create_gist(True,
//! ...)`) is a public one, as `gh gist create --public` makes.
//!
//! Node's `-e` code has no script in `process.argv` (`node -e CODE a`:
//! `process.argv[1]` is `a`), so its reads are counted from there. Blob
//! clients made with such an argument (`new BlockBlobClient(
//! process.argv[1]).uploadFile(f)`, a SAS URL given on the command line)
//! upload to it ([`super::sdk_azure::argv_uploads`]).

use super::sdk_messages::{call_opens, files_read};
use super::sdk_values::Values;
use super::storage::{self, Body, Item, arguments, is_ident, literal_at, matching, token_starts};
use super::{Invocation, Literal, Outcome, READ_CALLS, called_with, env_reads, literals};
use crate::commands::{request, url};
use crate::{FileRef, Payload, flow};

/// A SaaS vendor's SDKs and the calls of them that write.
struct Vendor {
    /// The packages code imports to use them (Python's module, npm's
    /// package).
    packages: &'static [&'static str],
    /// The API's URL when no client names another server.
    api: &'static str,
    /// Clients that may be pointed at a server: by one of `host_keys`, or
    /// by a URL as their first argument (`JIRA("https://x.atlassian.net")`).
    clients: &'static [&'static str],
    host_keys: &'static [&'static str],
    /// Methods that write, with what they are called on when that tells
    /// them apart (`pages.create`, not `create`).
    writes: &'static [&'static str],
    /// The keyword and position of the argument that makes what a write
    /// creates public (a gist's `public`).
    public: Option<(&'static str, usize)>,
}

const VENDORS: &[Vendor] = &[
    Vendor {
        packages: &["hubspot", "@hubspot/api-client"],
        api: "https://api.hubapi.com",
        clients: &[],
        host_keys: &[],
        writes: &[
            "basic_api.create",
            "basic_api.update",
            "basic_api.archive",
            "batch_api.create",
            "batch_api.update",
            "batch_api.upsert",
            "batch_api.archive",
            "core_api.create",
            "basicApi.create",
            "basicApi.update",
            "basicApi.archive",
            "batchApi.create",
            "batchApi.update",
            "batchApi.upsert",
            "batchApi.archive",
            "coreApi.create",
        ],
        public: None,
    },
    Vendor {
        packages: &["notion_client", "@notionhq/client"],
        api: "https://api.notion.com",
        clients: &["Client", "AsyncClient"],
        host_keys: &["base_url", "baseUrl"],
        writes: &[
            "pages.create",
            "pages.update",
            "databases.create",
            "databases.update",
            "blocks.update",
            "blocks.delete",
            // Not a list named `children`'s `append`.
            "blocks.children.append",
            "comments.create",
        ],
        public: None,
    },
    Vendor {
        packages: &["pyairtable", "airtable"],
        api: "https://api.airtable.com",
        clients: &["Api", "Airtable"],
        host_keys: &["endpoint_url", "endpointUrl"],
        // Not `update`, `insert` nor `replace`: a mapping's, a list's and
        // a string's methods are called so too.
        writes: &[
            "create",
            "batch_create",
            "batch_update",
            "batch_upsert",
            "batch_delete",
            "destroy",
            "delete",
        ],
        public: None,
    },
    Vendor {
        packages: &["jira", "jira.js", "atlassian"],
        api: "https://api.atlassian.com",
        clients: &[
            "JIRA",
            "Jira",
            "Confluence",
            "Version2Client",
            "Version3Client",
            "AgileClient",
            "ConfluenceClient",
        ],
        host_keys: &["server", "host", "url", "baseUrl", "base_url"],
        writes: &[
            "create_issue",
            "create_issues",
            "add_comment",
            "add_attachment",
            "add_worklog",
            "transition_issue",
            "assign_issue",
            "create_issue_link",
            "issue_create",
            "issue_update",
            "issue_add_comment",
            "create_page",
            "update_page",
            "append_page",
            "issues.createIssue",
            "issues.editIssue",
            "issues.deleteIssue",
            "issues.doTransition",
            "issueComments.addComment",
            "issueAttachments.addAttachment",
            "content.createContent",
            "content.updateContent",
        ],
        public: None,
    },
    Vendor {
        packages: &["simple_salesforce", "jsforce"],
        api: "https://login.salesforce.com",
        clients: &["Salesforce", "Connection"],
        host_keys: &["instance_url", "instanceUrl", "instance"],
        writes: &["create", "upsert", "destroy", "delete"],
        public: None,
    },
    Vendor {
        packages: &["asana"],
        api: "https://app.asana.com",
        clients: &[],
        host_keys: &[],
        writes: &[
            "create_task",
            "update_task",
            "delete_task",
            "create_story_for_task",
            "createTask",
            "updateTask",
            "deleteTask",
            "createStoryForTask",
        ],
        public: None,
    },
    Vendor {
        packages: &["@linear/sdk"],
        api: "https://api.linear.app",
        clients: &[],
        host_keys: &[],
        writes: &[
            "createIssue",
            "updateIssue",
            "deleteIssue",
            "createComment",
            "createDocument",
        ],
        public: None,
    },
    Vendor {
        packages: &["github", "@octokit/rest", "octokit", "@octokit/core"],
        api: "https://gist.github.com",
        clients: &[],
        host_keys: &[],
        writes: &["create_gist", "gists.create"],
        public: Some(("public", 0)),
    },
];

/// Reads of the script's own arguments by index.
const ARGV_READS: &[&str] = &["process.argv[", "sys.argv[", "Deno.args[", "Bun.argv["];

/// Node's options that give it its code on the command line.
const NODE_EVAL: &[&str] = &["-e", "--eval", "-p", "--print"];

/// Adds a request for each SaaS SDK call in `code` that writes, and the
/// uploads of blob clients the script's arguments point.
pub(super) fn report(
    inv: &Invocation<'_>,
    original: &str,
    code: &str,
    literals: &[Literal],
    outcome: &mut Outcome,
) {
    let used: Vec<&Vendor> = VENDORS
        .iter()
        .filter(|v| v.packages.iter().any(|p| imports(code, literals, p)))
        .collect();
    let reads_argv = ARGV_READS.iter().any(|read| code.contains(read));
    if used.is_empty() && !reads_argv {
        return;
    }
    let counted = node_eval_argv(inv, original, code);
    let counted_literals = counted.as_deref().map(super::literals);
    let (code, literals) = match (&counted, &counted_literals) {
        (Some(counted), Some(counted_literals)) => (counted.as_str(), counted_literals.as_slice()),
        _ => (code, literals),
    };
    let values = Values::new(inv, original, code, literals);
    for vendor in used {
        for (at, write, open) in writes(code, literals, vendor) {
            let Some((items, close)) = arguments(code, literals, open) else {
                continue;
            };
            let mut payload = carried(code, literals, &values, open, close);
            for file in files_read(code, literals) {
                flow::push_file(&mut payload, file_ref(inv, &file));
            }
            let target = server(code, literals, &values, vendor, at)
                .unwrap_or_else(|| vendor.api.to_owned());
            let public = vendor
                .public
                .is_some_and(|flag| is_public(code, &items, flag));
            outcome.effects.push(request(
                inv.program,
                url(&target),
                method(write),
                payload,
                public,
            ));
        }
    }
    if reads_argv {
        uploaded(inv, code, literals, &values, outcome);
    }
}

/// True when `code` imports `package`: Python's `import P`, `import P.x as
/// y`, `from P import ...`, `from P.x import ...` (a statement of a line
/// or of a `;`-separated one-liner), JavaScript's `require("P")`,
/// `from "P"`, `import("P")` (or a path under P).
pub(super) fn imports(code: &str, literals: &[Literal], package: &str) -> bool {
    let javascript = literals.iter().any(|literal| {
        let names = literal.text == package
            || literal
                .text
                .strip_prefix(package)
                .is_some_and(|rest| rest.starts_with('/'));
        let before = code.get(..literal.start).unwrap_or_default().trim_end();
        names
            && ["require(", "from", "import(", "import"]
                .iter()
                .any(|lead| before.ends_with(lead))
    });
    let names_package = |name: &str| {
        let name = name.trim();
        let name = name.split(" as ").next().unwrap_or(name).trim();
        name == package
            || name
                .strip_prefix(package)
                .is_some_and(|rest| rest.starts_with('.'))
    };
    let python = code.split(['\n', ';']).any(|statement| {
        let statement = statement.trim();
        if let Some(names) = statement.strip_prefix("import ") {
            return names.split(',').any(names_package);
        }
        statement
            .strip_prefix("from ")
            .and_then(|rest| rest.split_once(" import "))
            .is_some_and(|(module, _)| names_package(module))
    });
    javascript || python
}

/// `code` with Node's `-e` code's reads of its arguments counted as a
/// script's are (`process.argv[1]` as `process.argv[2]`), which is how
/// [`Values`] reads them; `None` when the code is not given that way or
/// reads none.
fn node_eval_argv(inv: &Invocation<'_>, original: &str, code: &str) -> Option<String> {
    let program = inv.program.rsplit('/').next().unwrap_or(inv.program);
    if !matches!(program, "node" | "nodejs") {
        return None;
    }
    let at = inv.args.iter().position(|a| a.text == original)?;
    let option = inv.args.get(at.checked_sub(1)?)?;
    if !NODE_EVAL.contains(&option.text.as_str()) {
        return None;
    }
    let literals = literals(code);
    let read = "process.argv[";
    let replacements = code
        .match_indices(read)
        .filter(|(at, _)| token_starts(code, *at) && !storage::in_literal(&literals, *at))
        .filter_map(|(at, _)| {
            let digits_at = at + read.len();
            let rest = code.get(digits_at..)?;
            let len = rest.find(|c: char| !c.is_ascii_digit())?;
            let index: usize = rest.get(..len)?.parse().ok()?;
            rest.get(len..)?
                .starts_with(']')
                .then(|| (digits_at, digits_at + len, (index + 1).to_string()))
        })
        .collect();
    storage::replaced(code, replacements)
}

/// Each call of one of `vendor`'s writes: where its name starts, the
/// write, and where its `(` is. Only methods (`x.create(`), not functions
/// of the same name.
fn writes<'v>(
    code: &str,
    literals: &[Literal],
    vendor: &'v Vendor,
) -> Vec<(usize, &'v str, usize)> {
    let mut found: Vec<(usize, &str, usize)> = Vec::new();
    for write in vendor.writes {
        for open in call_opens(code, literals, write) {
            let at = open - write.len();
            let method = code.get(..at).is_some_and(|before| before.ends_with('.'));
            if method && !found.iter().any(|(_, _, o)| *o == open) {
                found.push((at, write, open));
            }
        }
    }
    found.sort_by_key(|(at, _, _)| *at);
    found
}

/// The request method a write is: `DELETE` for one that deletes or
/// archives, `PATCH` for one that changes, else `POST`.
fn method(write: &str) -> &'static str {
    let verb = write
        .rsplit('.')
        .next()
        .unwrap_or(write)
        .to_ascii_lowercase();
    if ["delete", "archive", "destroy"]
        .iter()
        .any(|v| verb.contains(v))
    {
        "DELETE"
    } else if ["update", "edit", "upsert", "replace"]
        .iter()
        .any(|v| verb.contains(v))
    {
        "PATCH"
    } else {
        "POST"
    }
}

/// What the call whose arguments run from `open` to `close` (just past
/// its `)`) carries: its literals but the files they name, the values of
/// the names and script arguments it reads, the variables it reads, and
/// what the script's own arguments written into those carry.
fn carried(
    code: &str,
    literals: &[Literal],
    values: &Values<'_>,
    open: usize,
    close: usize,
) -> Payload {
    let mut payload = Payload::default();
    let end = close.saturating_sub(1);
    let mut said: Vec<String> = Vec::new();
    for literal in literals.iter().filter(|l| l.start > open && l.end <= end) {
        let before = code.get(..literal.start).unwrap_or_default();
        if called_with(before, READ_CALLS).is_none() && !literal.text.is_empty() {
            said.push(literal.text.clone());
        }
    }
    for (start, stop) in argv_reads(code, literals, open, end)
        .into_iter()
        .chain(bound_names(code, literals, open, end))
    {
        if let Some(value) = values.of(start, stop) {
            said.extend(value.texts().into_iter().map(str::to_owned));
        }
    }
    for name in env_reads(code.get(open..end).unwrap_or_default()) {
        flow::push_env(&mut payload, &name);
    }
    for text in &said {
        flow::push_text(&mut payload, text);
    }
    let texts: Vec<&str> = said.iter().map(String::as_str).collect();
    flow::merge(&mut payload, &values.expansions_in(&texts));
    payload
}

/// Where each read of the script's arguments by index
/// (`process.argv[1]`) between `start` and `end` is.
fn argv_reads(code: &str, literals: &[Literal], start: usize, end: usize) -> Vec<(usize, usize)> {
    let span = code.get(start..end).unwrap_or_default();
    ARGV_READS
        .iter()
        .flat_map(|read| {
            span.match_indices(read).filter_map(move |(at, _)| {
                let at = start + at;
                if !token_starts(code, at) || storage::in_literal(literals, at) {
                    return None;
                }
                let bracket = at + read.len() - 1;
                let close = matching(code, literals, bracket)?;
                Some((at, close + 1))
            })
        })
        .collect()
}

/// Where each name used as a value between `start` and `end` is: a whole
/// name, outside literals, that is no member (`x.name`), call
/// (`name(`), member access (`name.x`, `name[0]`), keyword argument
/// (`name=`) or object key (`name:`).
pub(super) fn bound_names(
    code: &str,
    literals: &[Literal],
    start: usize,
    end: usize,
) -> Vec<(usize, usize)> {
    let mut names = Vec::new();
    let mut pos = start;
    while pos < end {
        if let Some((_, literal)) = literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        let Some(c) = code.get(pos..).and_then(|r| r.chars().next()) else {
            break;
        };
        let starts = (c.is_ascii_alphabetic() || c == '_') && token_starts(code, pos);
        if !starts {
            pos += c.len_utf8();
            continue;
        }
        let len = code
            .get(pos..end)
            .and_then(|r| r.find(|c: char| !is_ident(c)))
            .unwrap_or(end - pos);
        let after = code.get(pos + len..end).unwrap_or_default().trim_start();
        let keyword = after.starts_with('=') && !after.starts_with("==");
        let used_as_value = !(keyword || after.starts_with(['(', '.', '[', ':']));
        if used_as_value {
            names.push((pos, pos + len));
        }
        pos += len.max(1);
    }
    names
}

/// The server the last of `vendor`'s clients made before `before` names,
/// as a URL (`https://x.atlassian.net`, a bare host given `https://`).
fn server(
    code: &str,
    literals: &[Literal],
    values: &Values<'_>,
    vendor: &Vendor,
    before: usize,
) -> Option<String> {
    let mut found: Vec<(usize, String)> = Vec::new();
    for client in vendor.clients {
        for open in call_opens(code, literals, client) {
            if open >= before {
                continue;
            }
            let Some((items, _)) = arguments(code, literals, open) else {
                continue;
            };
            let keyed = items.iter().find(|i| {
                i.key
                    .as_deref()
                    .is_some_and(|k| vendor.host_keys.contains(&k))
            });
            let first = items.iter().find(|i| i.key.is_none());
            let host = keyed
                .and_then(|item| server_url(values, item, true))
                .or_else(|| first.and_then(|item| server_url(values, item, false)));
            if let Some(host) = host {
                found.push((open, host));
            }
        }
    }
    found.into_iter().max_by_key(|(at, _)| *at).map(|(_, h)| h)
}

/// The server an argument names: an HTTP(S) URL's scheme and host, or,
/// when `bare` (a key that names a server, `instance=`), a host name as
/// `https://HOST`. A first argument that is no URL is something else (a
/// token).
fn server_url(values: &Values<'_>, item: &Item, bare: bool) -> Option<String> {
    let value = values.of(item.start, item.end)?;
    let text = value.text()?.trim();
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None if bare => ("https".to_owned(), text),
        None => return None,
    };
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let plain = host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    plain.then(|| format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// True when the argument `flag` names (by keyword, else position) is
/// true (`public=True`, `public: true`, `create_gist(True, ...)`).
fn is_public(code: &str, items: &[Item], (key, position): (&str, usize)) -> bool {
    let item = items
        .iter()
        .find(|i| i.key.as_deref() == Some(key))
        .or_else(|| items.iter().filter(|i| i.key.is_none()).nth(position));
    item.and_then(|i| code.get(i.start..i.end))
        .is_some_and(|text| matches!(text.trim(), "True" | "true" | "!0"))
}

/// A file the code reads, by its path as given.
fn file_ref(inv: &Invocation<'_>, file: &str) -> FileRef {
    FileRef {
        path: inv.path(file),
        recursive: false,
        excludes: Vec::new(),
    }
}

/// Adds the uploads of blob clients made with the script's arguments,
/// each carrying the file or text it is given, or else the files and
/// variables the code reads.
fn uploaded(
    inv: &Invocation<'_>,
    code: &str,
    literals: &[Literal],
    values: &Values<'_>,
    outcome: &mut Outcome,
) {
    for upload in super::sdk_azure::argv_uploads(code, literals, values) {
        let Some(target) = upload.target else {
            continue;
        };
        let mut payload = Payload::default();
        match upload.body {
            Body::File(file) => super::read_sent(inv, &file, outcome, &mut payload),
            Body::Text(text) => flow::push_text(&mut payload, &text),
            Body::Other => {
                for file in files_read(code, literals) {
                    flow::push_file(&mut payload, file_ref(inv, &file));
                }
                for name in env_reads(code) {
                    flow::push_env(&mut payload, &name);
                }
            }
        }
        outcome.effects.push(request(
            inv.program,
            url(&target),
            "UPLOAD",
            payload,
            upload.public,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::literals;
    use super::*;

    fn imported(code: &str, package: &str) -> bool {
        imports(code, &literals(code), package)
    }

    #[test]
    fn imports_are_read_in_both_languages() {
        assert!(imported(
            "import os\nfrom hubspot import HubSpot\n",
            "hubspot"
        ));
        assert!(imported("import csv, os; import jira.client as j", "jira"));
        assert!(imported(
            "const c = require(\"@notionhq/client\");",
            "@notionhq/client"
        ));
        assert!(imported(
            "import { Client } from '@hubspot/api-client';",
            "@hubspot/api-client"
        ));
        assert!(!imported("import jira_helpers\n", "jira"));
        assert!(!imported("url = 'https://x.atlassian.net/jira'\n", "jira"));
        assert!(imported(
            "from confluent_kafka import Producer\n",
            "confluent_kafka"
        ));
        assert!(imported("import os, redis.asyncio as r\n", "redis"));
        assert!(imported("const { Kafka } = require('kafkajs');", "kafkajs"));
        assert!(imported("import { connect } from \"nats\";", "nats"));
        assert!(!imported("import natsort\n", "nats"));
        assert!(!imported("const r = require('ioredis');", "redis"));
        assert!(!imported("print('redis')\n", "redis"));
    }

    #[test]
    fn methods_name_the_request() {
        assert_eq!(method("pages.create"), "POST");
        assert_eq!(method("children.append"), "POST");
        assert_eq!(method("issues.editIssue"), "PATCH");
        assert_eq!(method("basic_api.archive"), "DELETE");
    }
}
