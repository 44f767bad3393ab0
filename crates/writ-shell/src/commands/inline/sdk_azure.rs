//! Azure Blob Storage through its SDKs (Python's `azure-storage-blob`,
//! JavaScript's `@azure/storage-blob`), as `az storage` commands are read:
//! - a container made public: created or set with a public access level
//!   (`create_container(name, public_access="container")`,
//!   `set_container_access_policy(..., public_access="blob")`,
//!   `PublicAccess.Container`; JavaScript's `createContainer(name, {
//!   access: "blob" })`, `containerClient.create({ access })`,
//!   `setAccessPolicy("container")`), as `az storage container
//!   set-permission --public-access blob` is: the container's URL made
//!   public ([`public_containers`]);
//! - a JavaScript blob client's uploads (`blockBlob.uploadFile(path)`,
//!   `uploadData(data)`, `uploadStream(stream)`, `upload(body, n)`,
//!   `containerClient.uploadBlockBlob(name, body, n)`): an upload to the
//!   blob's URL carrying the file or data given ([`uploads`]; Python's
//!   `upload_blob` is [`super::storage`]'s).
//!
//! The account and container are where the calls before lead: the URL a
//! client is made with (`new ContainerClient(SAS_URL)`,
//! `BlobServiceClient(account_url=...)`, `from_blob_url(...)`, written out,
//! bound to a name first or given as the script's argument:
//! [`argv_uploads`]), else the account a connection string names
//! (`AccountName=`), and the container a client is got for
//! (`get_container_client("c")`, `container_name="c"`). A SAS URL for
//! another organisation's account is that account's host.

use super::sdk_values::Values;
use super::storage::{self, Body, Upload, calls, calls_with_args, is_ident, keyword_before};
use super::{Literal, READ_CALLS};
use crate::{Effect, Resource};

/// What code that uses the Blob Storage SDKs writes.
const MARKERS: &[&str] = &[
    "azure.storage.blob",
    "@azure/storage-blob",
    "BlobServiceClient",
    "ContainerClient",
    "BlobClient",
];

/// Client constructors and factories whose first argument is an account's,
/// container's or blob's URL, or a connection string.
const URL_CALLS: &[&str] = &[
    "BlobServiceClient",
    "ContainerClient",
    "BlobClient",
    "BlockBlobClient",
    "from_container_url",
    "from_blob_url",
    "from_connection_string",
    "fromConnectionString",
];

/// Keywords that give a client its URL.
const URL_KEYS: &[&str] = &["account_url", "container_url", "blob_url"];

/// Calls whose first argument names a container.
const CONTAINER_CALLS: &[&str] = &[
    "get_container_client",
    "getContainerClient",
    "create_container",
    "createContainer",
];

/// Keywords that name a container.
const CONTAINER_KEYS: &[&str] = &["container_name", "container"];

/// Calls whose first argument names a blob of a container.
const BLOB_CALLS: &[&str] = &[
    "getBlockBlobClient",
    "getBlobClient",
    "getAppendBlobClient",
    "getPageBlobClient",
];

/// True when the code uses the Blob Storage SDKs.
fn uses_azure(code: &str) -> bool {
    MARKERS.iter().any(|marker| code.contains(marker))
}

/// A container's place: its account's URL (`https://a.blob.core.windows.net`)
/// and its name, when known, with the literals that named them.
struct Place {
    account: Option<String>,
    container: Option<String>,
    blob: Option<String>,
    used: Vec<usize>,
}

impl Place {
    /// The URL of the container, or of `blob` in it.
    fn url(&self, blob: Option<&str>) -> Option<String> {
        let container = self.container.as_deref()?;
        let account = self
            .account
            .clone()
            .unwrap_or_else(|| "https://blob.core.windows.net".to_owned());
        Some(match blob {
            Some(blob) => format!("{account}/{container}/{blob}"),
            None => format!("{account}/{container}"),
        })
    }
}

/// A URL split into its scheme and host, its first path segment (a
/// container) and the rest (a blob); its query dropped.
fn split_url(url: &str) -> Option<(String, Option<String>, Option<String>)> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return None;
    }
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || host.contains(['{', '$']) {
        return None;
    }
    let (container, blob) = match path.split_once('/') {
        Some((container, blob)) => (container, blob),
        None => (path, ""),
    };
    let some = |text: &str| (!text.is_empty()).then(|| text.to_owned());
    Some((format!("{scheme}://{host}"), some(container), some(blob)))
}

/// The account a connection string names: its `BlobEndpoint=`, else
/// `https://NAME.blob.SUFFIX` from `AccountName=` and `EndpointSuffix=`.
fn connection_account(text: &str) -> Option<String> {
    let field = |key: &str| {
        text.split(';').find_map(|part| {
            let (k, v) = part.split_once('=')?;
            (k.trim().eq_ignore_ascii_case(key) && !v.trim().is_empty()).then(|| v.trim())
        })
    };
    if let Some(endpoint) = field("BlobEndpoint") {
        return split_url(endpoint).map(|(account, _, _)| account);
    }
    let name = field("AccountName")?;
    let suffix = field("EndpointSuffix").unwrap_or("core.windows.net");
    Some(format!("https://{name}.blob.{suffix}"))
}

/// The literal a name is bound to before `pos` (`const url = "..."`,
/// `url = "..."`, one of several declared together), with its index.
pub(super) fn bound_literal<'l>(
    code: &str,
    literals: &'l [Literal],
    name: &str,
    pos: usize,
) -> Option<(usize, &'l Literal)> {
    if name.is_empty() || !name.chars().all(is_ident) {
        return None;
    }
    literals
        .iter()
        .enumerate()
        .filter(|(_, l)| l.end <= pos)
        .rfind(|(_, l)| {
            let before = code.get(..l.start).unwrap_or_default().trim_end();
            let Some(head) = before.strip_suffix('=') else {
                return false;
            };
            if head.ends_with(['=', '!', '<', '>']) {
                return false;
            }
            let head = head.trim_end();
            head.strip_suffix(name).is_some_and(|h| {
                h.chars()
                    .next_back()
                    .is_none_or(|c| !is_ident(c) && c != '.')
            })
        })
}

/// The text of the argument at `item` when it is a literal, or a name
/// bound to one: with the literal's index.
fn argument_text(
    code: &str,
    literals: &[Literal],
    start: usize,
    end: usize,
) -> Option<(String, usize)> {
    if let Some((index, literal)) = storage::literal_at(literals, start)
        && literal.end == end
    {
        return Some((literal.text.clone(), index));
    }
    let name = code.get(start..end)?.trim();
    let (index, literal) = bound_literal(code, literals, name, start)?;
    Some((literal.text.clone(), index))
}

/// The first argument of each call of `names` before `pos`, as text
/// (a literal, or a name bound to one): where the call is, the text and
/// the literal's index.
fn first_arguments(
    code: &str,
    literals: &[Literal],
    pos: usize,
    names: &[&str],
) -> Vec<(usize, String, usize)> {
    let mut found = Vec::new();
    for name in names {
        for (at, args) in calls_with_args(code, literals, name) {
            if at >= pos {
                continue;
            }
            let Some(item) = args.items.iter().find(|i| i.key.is_none()) else {
                continue;
            };
            if let Some((text, index)) = argument_text(code, literals, item.start, item.end) {
                found.push((at, text, index));
            }
        }
    }
    found.sort_by_key(|(at, _, _)| *at);
    found
}

/// Where the Blob Storage calls before `pos` lead.
fn place_before(code: &str, literals: &[Literal], pos: usize) -> Place {
    let mut place = Place {
        account: None,
        container: None,
        blob: None,
        used: Vec::new(),
    };
    // The URL or connection string the last client before was made with.
    let mut sources: Vec<(usize, String, usize)> = first_arguments(code, literals, pos, URL_CALLS);
    if let Some((text, index)) = keyword_before(code, literals, pos, URL_KEYS) {
        let at = literals.get(index).map_or(0, |l| l.start);
        sources.push((at, text, index));
    }
    sources.sort_by_key(|(at, _, _)| *at);
    let source = sources.into_iter().rev().find_map(|(at, text, index)| {
        let split = split_url(&text).or_else(|| Some((connection_account(&text)?, None, None)))?;
        Some((at, split, index))
    });
    let mut source_at = 0;
    if let Some((at, (account, container, blob), index)) = source {
        source_at = at;
        place.used.push(index);
        place.account = Some(account);
        place.container = container;
        place.blob = blob;
    } else if let Some(account) = literals.iter().find_map(|l| connection_account(&l.text)) {
        place.account = Some(account);
    }
    // A container got after it (`service.getContainerClient("c")`).
    let named = first_arguments(code, literals, pos, CONTAINER_CALLS)
        .into_iter()
        .chain(
            keyword_before(code, literals, pos, CONTAINER_KEYS).map(|(text, index)| {
                let at = literals.get(index).map_or(0, |l| l.start);
                (at, text, index)
            }),
        )
        .filter(|(at, _, _)| place.container.is_none() || *at > source_at)
        .max_by_key(|(at, _, _)| *at);
    if let Some((_, container, index)) = named {
        place.used.push(index);
        place.container = Some(container);
        place.blob = None;
    }
    place
}

/// True when `text` is a public access level: `blob` or `container`, in
/// any case, or an SDK's constant for one (`PublicAccess.Container`,
/// `PublicAccessType.BlobContainer`).
fn is_public_level(text: &str) -> bool {
    let text = text.trim();
    if text.eq_ignore_ascii_case("blob") || text.eq_ignore_ascii_case("container") {
        return true;
    }
    let Some((class, level)) = text.rsplit_once('.') else {
        return false;
    };
    (class.ends_with("PublicAccess") || class.ends_with("PublicAccessType"))
        && matches!(
            level.to_ascii_lowercase().as_str(),
            "blob" | "container" | "blobcontainer"
        )
}

/// True when the argument between `start` and `end` may give a public
/// access level: a constant for one, or a literal of one it may take
/// (`access === "private" ? undefined : "blob"`: not the one compared).
fn may_be_public(code: &str, literals: &[Literal], start: usize, end: usize) -> bool {
    let text = code.get(start..end).unwrap_or_default();
    if is_public_level(text) {
        return true;
    }
    literals
        .iter()
        .filter(|l| l.start >= start && l.end <= end && !l.text.contains("${"))
        .any(|l| {
            let before = code.get(start..l.start).unwrap_or_default().trim_end();
            let after = code.get(l.end..end).unwrap_or_default().trim_start();
            let compared = ["==", "!="].iter().any(|op| before.ends_with(op))
                || ["==", "!="].iter().any(|op| after.starts_with(op));
            !compared && is_public_level(&l.text)
        })
}

/// The containers the code makes public, as the URLs made public, and the
/// literals that named them.
pub(super) fn public_containers(code: &str, literals: &[Literal]) -> (Vec<Effect>, Vec<usize>) {
    let mut effects = Vec::new();
    let mut used = Vec::new();
    if !uses_azure(code) {
        return (effects, used);
    }
    // Each call that may set a level: its name, the keys that give the
    // level, the position that does, and whether its first argument
    // names the container.
    let setters: &[(&str, &[&str], Option<usize>, bool)] = &[
        ("create_container", &["public_access"], None, true),
        (
            "set_container_access_policy",
            &["public_access"],
            Some(1),
            false,
        ),
        ("createContainer", &["access"], None, true),
        ("create", &["access", "public_access"], None, false),
        ("createIfNotExists", &["access"], None, false),
        ("create_if_not_exists", &["public_access"], None, false),
        ("setAccessPolicy", &[], Some(0), false),
    ];
    for (name, keys, position, names_container) in setters {
        for (at, args) in calls_with_args(code, literals, name) {
            let item = args.keyed(keys).or_else(|| {
                position.and_then(|n| args.items.iter().filter(|i| i.key.is_none()).nth(n))
            });
            let Some(item) = item else {
                continue;
            };
            if !may_be_public(code, literals, item.start, item.end) {
                continue;
            }
            let mut place = place_before(code, literals, at);
            let own = names_container
                .then(|| {
                    args.items
                        .iter()
                        .find(|i| i.key.is_none() || i.key.as_deref() == Some("name"))
                })
                .flatten()
                .and_then(|item| argument_text(code, literals, item.start, item.end));
            if let Some((container, index)) = own {
                place.container = Some(container);
                place.used.push(index);
            }
            let Some(url) = place.url(None) else {
                continue;
            };
            used.append(&mut place.used);
            let effect = Effect::MakePublic {
                resource: Resource::Other { name: url },
            };
            if !effects.contains(&effect) {
                effects.push(effect);
            }
        }
    }
    (effects, used)
}

/// The literal items of the list a name is bound to, or that a loop
/// variable runs over (`for (const f of ["a", "b"])`, `for f in files`
/// with `files = ["a", "b"]`), before `pos`.
fn items_of(code: &str, literals: &[Literal], name: &str, pos: usize) -> Vec<String> {
    if name.is_empty() || !name.chars().all(is_ident) {
        return Vec::new();
    }
    let head = code.get(..pos).unwrap_or_default();
    // The loop that binds `name`: the list or name it runs over.
    let over = [
        format!("const {name} of "),
        format!("let {name} of "),
        format!("for {name} in "),
    ]
    .iter()
    .filter_map(|pattern| head.rfind(pattern.as_str()).map(|at| at + pattern.len()))
    .max();
    let Some(over) = over else {
        return Vec::new();
    };
    let list_at = match code.get(over..).and_then(|r| r.chars().next()) {
        Some('[' | '(') => over,
        _ => {
            let rest = code.get(over..).unwrap_or_default();
            let len = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
            let list = rest.get(..len).unwrap_or_default();
            match list_bound(code, list, over) {
                Some(at) => at,
                None => return Vec::new(),
            }
        }
    };
    let Some(close) = storage::matching(code, literals, list_at) else {
        return Vec::new();
    };
    literals
        .iter()
        .filter(|l| l.start > list_at && l.end <= close && !l.backtick)
        .map(|l| l.text.clone())
        .collect()
}

/// Where the list literal a name is last bound to before `pos` opens
/// (`files = [`).
fn list_bound(code: &str, name: &str, pos: usize) -> Option<usize> {
    if name.is_empty() {
        return None;
    }
    let head = code.get(..pos)?;
    head.match_indices(name)
        .filter(|(at, _)| {
            head.get(..*at)
                .and_then(|b| b.chars().next_back())
                .is_none_or(|c| !is_ident(c) && c != '.')
        })
        .filter_map(|(at, _)| {
            let rest = head.get(at + name.len()..)?;
            let eq = at + name.len() + (rest.len() - rest.trim_start().len());
            let value = head.get(eq..)?.strip_prefix('=')?;
            if value.starts_with('=') {
                return None;
            }
            let start = eq + 1 + (value.len() - value.trim_start().len());
            head.get(start..)?.starts_with('[').then_some(start)
        })
        .last()
}

/// A JavaScript blob client's upload methods: the position of the blob's
/// name (`uploadBlockBlob(name, body, n)`), the position of what it
/// sends, and whether that is a file's path.
const UPLOADS: &[(&str, Option<usize>, usize, bool)] = &[
    ("uploadFile", None, 0, true),
    ("uploadData", None, 0, false),
    ("uploadStream", None, 0, false),
    ("uploadBrowserData", None, 0, false),
    ("upload", None, 0, false),
    ("uploadBlockBlob", Some(0), 1, false),
];

/// The uploads a JavaScript blob client makes.
pub(super) fn uploads(
    code: &str,
    literals: &[Literal],
    used: &mut Vec<usize>,
    out: &mut Vec<Upload>,
) {
    if !code.contains("@azure/storage-blob") {
        return;
    }
    for (name, blob_at, body_at, is_file) in UPLOADS {
        for (at, open) in calls(code, name) {
            // A method of a client (`blob.uploadFile(...)`).
            if !code.get(..at).is_some_and(|b| b.ends_with('.')) {
                continue;
            }
            // `upload(body, n)`: a block blob client's, not another SDK's.
            if *name == "upload" && !code.contains("BlockBlobClient") {
                continue;
            }
            let Some(mut args) = storage::args_at(code, literals, open) else {
                continue;
            };
            let mut place = place_before(code, literals, at);
            let blob =
                match blob_at {
                    Some(n) => args.text(&[], Some(*n)),
                    None => first_arguments(code, literals, at, BLOB_CALLS).pop().map(
                        |(_, blob, index)| {
                            place.used.push(index);
                            blob
                        },
                    ),
                }
                .or_else(|| place.blob.clone());
            let body = if *is_file {
                args.file(&[], Some(*body_at))
            } else {
                args.body(&[], Some(*body_at))
            };
            let target = place.url(Some(blob.as_deref().unwrap_or_default()));
            used.append(&mut args.used);
            used.append(&mut place.used);
            // A name a loop runs over a list with: each of its items.
            let looped = args
                .items
                .iter()
                .filter(|i| i.key.is_none())
                .nth(*body_at)
                .map(|item| looped(code, literals, item.start, item.end, at))
                .unwrap_or_default();
            match body {
                Some(Body::Other) | None if !looped.is_empty() => {
                    for (item, read) in looped {
                        let body = if *is_file || read {
                            Body::File(item)
                        } else {
                            Body::Text(item)
                        };
                        out.push(Upload {
                            target: target.clone(),
                            body,
                            public: false,
                        });
                    }
                }
                body => out.push(Upload {
                    target,
                    body: body.unwrap_or(Body::Other),
                    public: false,
                }),
            }
        }
    }
}

/// The items a loop gives the argument between `start` and `end`: a loop
/// variable itself (`uploadData(x)`), or a file a read call opens on it
/// (`uploadStream(fs.createReadStream(f))`, marked read).
fn looped(
    code: &str,
    literals: &[Literal],
    start: usize,
    end: usize,
    at: usize,
) -> Vec<(String, bool)> {
    let text = code.get(start..end).unwrap_or_default().trim();
    if let Some(inner) = text.strip_suffix(')')
        && let Some((call, argument)) = inner.split_once('(')
    {
        let call = call.trim();
        let reads = READ_CALLS.iter().any(|read| {
            call.strip_suffix(read)
                .is_some_and(|head| head.is_empty() || head.ends_with('.'))
        });
        let name = argument.split(',').next().unwrap_or_default().trim();
        if !reads {
            return Vec::new();
        }
        return items_of(code, literals, name, at)
            .into_iter()
            .map(|item| (item, true))
            .collect();
    }
    items_of(code, literals, text, at)
        .into_iter()
        .map(|item| (item, false))
        .collect()
}

/// `url` with `blob` added to its path, before its query (a container's
/// SAS URL given a blob's name).
pub(super) fn blob_url(url: &str, blob: &str) -> String {
    let (path, query) = match url.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (url, None),
    };
    let joined = format!("{}/{blob}", path.trim_end_matches('/'));
    match query {
        Some(query) => format!("{joined}?{query}"),
        None => joined,
    }
}

/// The uploads of blob clients made with a URL the script is given as an
/// argument (`new BlockBlobClient(process.argv[1])`, a SAS URL on the
/// command line), which `values` knows: the code with each such URL
/// written in as the literal it is, its uploads read as
/// [`storage::uploads`] reads them, those to one of these URLs' accounts
/// kept (the others are the code's own, read already).
pub(super) fn argv_uploads(code: &str, literals: &[Literal], values: &Values<'_>) -> Vec<Upload> {
    if !uses_azure(code) {
        return Vec::new();
    }
    let mut replacements = Vec::new();
    let mut accounts = Vec::new();
    for name in URL_CALLS {
        for (_, args) in calls_with_args(code, literals, name) {
            let Some(item) = args.items.iter().find(|i| i.key.is_none()) else {
                continue;
            };
            if argument_text(code, literals, item.start, item.end).is_some() {
                continue;
            }
            let given = values.of(item.start, item.end);
            let Some(url) = given.as_ref().and_then(|v| v.text()) else {
                continue;
            };
            let Some((account, _, _)) = split_url(url) else {
                continue;
            };
            if url.contains(['"', '\\']) {
                continue;
            }
            replacements.push((item.start, item.end, format!("\"{url}\"")));
            accounts.push(account);
        }
    }
    let Some(bound) = storage::replaced(code, replacements) else {
        return Vec::new();
    };
    let bound_literals = super::literals(&bound);
    let (found, _) = storage::uploads(&bound, &bound_literals);
    found
        .into_iter()
        .filter(|upload| {
            upload.target.as_deref().is_some_and(|target| {
                accounts
                    .iter()
                    .any(|account| target.starts_with(&format!("{account}/")))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inline::literals;

    fn public(code: &str) -> Vec<String> {
        public_containers(code, &literals(code))
            .0
            .into_iter()
            .filter_map(|effect| match effect {
                Effect::MakePublic {
                    resource: Resource::Other { name },
                } => Some(name),
                _ => None,
            })
            .collect()
    }

    fn targets(code: &str) -> Vec<(Option<String>, Option<String>)> {
        let mut out = Vec::new();
        uploads(code, &literals(code), &mut Vec::new(), &mut out);
        out.into_iter()
            .map(|u| {
                let file = match u.body {
                    Body::File(f) => Some(f),
                    _ => None,
                };
                (u.target, file)
            })
            .collect()
    }

    #[test]
    fn public_levels_make_the_container_public() {
        assert_eq!(
            public(
                "from azure.storage.blob import BlobServiceClient\n\
                 svc = BlobServiceClient(account_url='https://acct.blob.core.windows.net')\n\
                 svc.create_container('drop', public_access='container')"
            ),
            ["https://acct.blob.core.windows.net/drop"]
        );
        assert_eq!(
            public(
                "import { BlobServiceClient } from '@azure/storage-blob';\n\
                 const svc = new BlobServiceClient(`https://acct.blob.core.windows.net`, cred);\n\
                 const cc = svc.getContainerClient('exports');\n\
                 await cc.setAccessPolicy('blob' === 'private' ? undefined : 'blob');"
            ),
            ["https://acct.blob.core.windows.net/exports"]
        );
        assert_eq!(
            public(
                "c = ContainerClient.from_connection_string('AccountName=acct;AccountKey=k', container_name='x')\n\
                 c.set_container_access_policy(signed_identifiers={}, public_access=PublicAccess.Container)"
            ),
            ["https://acct.blob.core.windows.net/x"]
        );
    }

    #[test]
    fn private_levels_change_nothing() {
        assert!(
            public(
                "svc = BlobServiceClient(account_url='https://a.blob.core.windows.net')\n\
                 svc.create_container('drop')\n\
                 svc.get_container_client('x').set_container_access_policy({}, public_access=None)"
            )
            .is_empty()
        );
        assert!(public("import { ContainerClient } from '@azure/storage-blob';\ncc.setAccessPolicy(undefined)").is_empty());
        assert!(public("db.create({access: 'blob'})").is_empty());
    }

    #[test]
    fn javascript_uploads_go_to_the_clients_url() {
        assert_eq!(
            targets(
                "import { ContainerClient } from '@azure/storage-blob';\n\
                 const url = \"https://other.blob.core.windows.net/in?sv=1&sig=x\", files = [\"a.pdf\"];\n\
                 const container = new ContainerClient(url);\n\
                 for (const f of files) {\n  await container.getBlockBlobClient(basename(f)).uploadFile(f);\n}"
            ),
            [(
                Some("https://other.blob.core.windows.net/in/".to_owned()),
                Some("a.pdf".to_owned())
            )]
        );
        assert_eq!(
            targets(
                "const { BlobServiceClient } = require('@azure/storage-blob');\n\
                 const svc = BlobServiceClient.fromConnectionString('AccountName=acct;AccountKey=k');\n\
                 const b = svc.getContainerClient('c').getBlockBlobClient('k.csv');\n\
                 await b.uploadFile('out/k.csv');"
            ),
            [(
                Some("https://acct.blob.core.windows.net/c/k.csv".to_owned()),
                Some("out/k.csv".to_owned())
            )]
        );
    }

    #[test]
    fn blobs_join_a_sas_url_before_its_query() {
        assert_eq!(
            blob_url("https://a.blob.core.windows.net/c?sv=1&sig=x", "f.pdf"),
            "https://a.blob.core.windows.net/c/f.pdf?sv=1&sig=x"
        );
    }
}
