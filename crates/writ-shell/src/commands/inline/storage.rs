//! Cloud storage SDK uploads in inline code: boto3 (`upload_file`,
//! `upload_fileobj`, `put_object`, the resource API's
//! `Bucket('b').upload_file('f', 'k')`), the AWS SDK for JavaScript
//! (`new PutObjectCommand({Bucket, Key, Body})`, `putObject`, `Upload`),
//! Google Cloud Storage (`bucket('b').blob('k').upload_from_filename('f')`,
//! `upload_from_file`, `upload_from_string`; Node's
//! `bucket('b').upload('f')` and `file('k').save(data)`) and Azure Blob
//! Storage (`upload_blob`; JavaScript's blob clients: [`super::sdk_azure`]).
//! Each is an upload to `s3://B/K`, `gs://B/K` or the blob's URL carrying
//! the file or data it is given. So are files and prompts sent to AI
//! vendors' APIs ([`super::sdk_ai`]).
//!
//! An S3 upload is public when given a public canned ACL, directly or in
//! a mapping it is handed (`ExtraArgs=extra` after `extra["ACL"] =
//! "public-read"`).
//!
//! The bucket, key and file are read from the call's literal arguments
//! (keyword or positional) and, where the call is made on a bucket or blob
//! object, from the nearest call before it that names one
//! (`client.bucket('b')`, `bucket.blob('k')`), or from the chain it is
//! made on: Ruby's `Aws::S3::Resource.new.bucket('b').object('k')
//! .upload_file('f')` and `.put(body: File.read('f'), acl: ...)`.

use super::{Literal, READ_CALLS, called_with, value_of};

/// What an upload sends.
pub(super) enum Body {
    /// A file (`Filename=`, `open('f', 'rb')`, `readFileSync('f')`).
    File(String),
    /// Text written out in the code.
    Text(String),
    /// Something else the code holds: what it read.
    Other,
}

/// One upload the code makes.
pub(super) struct Upload {
    /// `s3://B/K`, `gs://B/K`, a blob's URL; `None` when the bucket is not
    /// written out.
    pub(super) target: Option<String>,
    pub(super) body: Body,
    /// Uploaded with a canned ACL that opens it to everyone
    /// (`ExtraArgs={'ACL': 'public-read'}`, `predefined_acl='publicRead'`,
    /// Node's `{public: true}`), as `aws s3 cp --acl public-read` is.
    pub(super) public: bool,
}

/// One argument of a call: its keyword (or an object literal's key), and
/// where its value is in the code.
pub(super) struct Item {
    pub(super) key: Option<String>,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// How deep object literals inside arguments are flattened.
const MAX_DEPTH: usize = 3;

pub(super) fn literal_at(literals: &[Literal], pos: usize) -> Option<(usize, &Literal)> {
    literals
        .binary_search_by_key(&pos, |l| l.start)
        .ok()
        .and_then(|i| literals.get(i).map(|l| (i, l)))
}

/// Where the bracket opened at `open` closes.
pub(super) fn matching(code: &str, literals: &[Literal], open: usize) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut pos = open;
    while let Some(&b) = bytes.get(pos) {
        if let Some((_, literal)) = literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(pos);
                }
            }
            _ => {}
        }
        pos += 1;
    }
    None
}

/// The text of `range` split at its top-level commas (outside literals
/// and brackets): each non-blank piece, as written, with where it starts.
/// `None` when a bracket in it does not close.
pub(super) fn top_level_split<'c>(
    code: &'c str,
    literals: &[Literal],
    range: std::ops::Range<usize>,
) -> Option<Vec<(usize, &'c str)>> {
    let mut parts = Vec::new();
    let mut start = range.start;
    let mut pos = range.start;
    while pos < range.end {
        if let Some((_, literal)) = literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        match code.as_bytes().get(pos)? {
            b'(' | b'[' | b'{' => {
                pos = matching(code, literals, pos)? + 1;
                continue;
            }
            b',' => {
                parts.push((start, code.get(start..pos)?));
                start = pos + 1;
            }
            _ => {}
        }
        pos += 1;
    }
    parts.push((start, code.get(start..range.end)?));
    Some(
        parts
            .into_iter()
            .filter(|(_, p)| !p.trim().is_empty())
            .collect(),
    )
}

/// `code` with each `(start, end, text)` of `replacements` written in, in
/// order of their starts; `None` when there is none, or when two overlap
/// (which of them holds is not known).
pub(super) fn replaced(
    code: &str,
    mut replacements: Vec<(usize, usize, String)>,
) -> Option<String> {
    if replacements.is_empty() {
        return None;
    }
    replacements.sort_by_key(|(at, _, _)| *at);
    let mut out = String::with_capacity(code.len());
    let mut copied = 0;
    for (at, end, text) in replacements {
        if at < copied {
            return None;
        }
        out.push_str(code.get(copied..at)?);
        out.push_str(&text);
        copied = end;
    }
    out.push_str(code.get(copied..)?);
    Some(out)
}

pub(super) fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// True when a name may start at `pos`: not inside a name or after a `.`.
pub(super) fn token_starts(code: &str, pos: usize) -> bool {
    code.get(..pos)
        .and_then(|b| b.chars().next_back())
        .is_none_or(|c| !is_ident(c) && c != '.')
}

/// True when no name goes on at `pos`.
pub(super) fn token_ends(code: &str, pos: usize) -> bool {
    code.get(pos..)
        .and_then(|r| r.chars().next())
        .is_none_or(|c| !is_ident(c))
}

/// Where the statement from `start` ends: at its `;` or at a closing
/// bracket it did not open (literals and the brackets it opens skipped),
/// or at a line end after which `goes_on(line_end)` says it does not go
/// on; the code's end when nothing stops it. `None` when a bracket it
/// opens is never closed.
pub(super) fn statement_end_where(
    code: &str,
    literals: &[Literal],
    start: usize,
    goes_on: impl Fn(usize) -> bool,
) -> Option<usize> {
    let mut at = start;
    while let Some(&byte) = code.as_bytes().get(at) {
        if let Some((_, literal)) = literal_at(literals, at) {
            at = literal.end;
            continue;
        }
        match byte {
            b'(' | b'[' | b'{' => at = matching(code, literals, at)? + 1,
            b';' | b')' | b']' | b'}' => return Some(at),
            b'\n' if !goes_on(at) => return Some(at),
            _ => at += 1,
        }
    }
    Some(code.len())
}

/// True when `pos` is inside one of `literals`.
pub(super) fn in_literal(literals: &[Literal], pos: usize) -> bool {
    literals.iter().any(|l| l.start <= pos && pos < l.end)
}

/// The items between `start` and `end`, split at top-level commas, with
/// the entries of an object literal (`{Bucket: 'b'}`, `params: {...}`)
/// flattened into them.
fn split(
    code: &str,
    literals: &[Literal],
    start: usize,
    end: usize,
    depth: usize,
    out: &mut Vec<Item>,
) {
    let bytes = code.as_bytes();
    let mut pieces = Vec::new();
    let mut level = 0usize;
    let mut piece = start;
    let mut pos = start;
    while pos < end {
        if let Some((_, literal)) = literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        match bytes.get(pos) {
            Some(b'(' | b'[' | b'{') => level += 1,
            Some(b')' | b']' | b'}') => level = level.saturating_sub(1),
            Some(b',') if level == 0 => {
                pieces.push((piece, pos));
                piece = pos + 1;
            }
            _ => {}
        }
        pos += 1;
    }
    pieces.push((piece, end));
    for (a, b) in pieces {
        let text = code.get(a..b).unwrap_or_default();
        let lead = text.len() - text.trim_start().len();
        let (a, b) = (a + lead, a + text.trim_end().len());
        if a >= b {
            continue;
        }
        let (key, value_start) = key_of(code, literals, a, b);
        let value_start = value_start.min(b);
        // An object literal: its entries are the arguments.
        if bytes.get(value_start) == Some(&b'{')
            && depth < MAX_DEPTH
            && matching(code, literals, value_start) == Some(b - 1)
        {
            split(code, literals, value_start + 1, b - 1, depth + 1, out);
            continue;
        }
        out.push(Item {
            key,
            start: value_start,
            end: b,
        });
    }
}

/// An item's key (`name=`, `name:`, `'name':`) and where its value starts.
fn key_of(code: &str, literals: &[Literal], a: usize, b: usize) -> (Option<String>, usize) {
    let text = code.get(a..b).unwrap_or_default();
    let (name, rest_at) = if let Some((_, literal)) = literal_at(literals, a) {
        (literal.text.clone(), literal.end)
    } else {
        let len = text.find(|c: char| !is_ident(c)).unwrap_or(text.len());
        (text.get(..len).unwrap_or_default().to_owned(), a + len)
    };
    if name.is_empty() || rest_at >= b {
        return (None, a);
    }
    let rest = code.get(rest_at..b).unwrap_or_default();
    let trimmed = rest.trim_start();
    let at = rest_at + (rest.len() - trimmed.len());
    // Perl's and PHP's `key => value` too.
    let sep = if trimmed.starts_with("=>") {
        2
    } else if (trimmed.starts_with('=') && !trimmed.starts_with("=="))
        || (trimmed.starts_with(':') && !trimmed.starts_with("::"))
    {
        1
    } else {
        return (None, a);
    };
    let value = code.get(at + sep..b).unwrap_or_default();
    (
        Some(name),
        at + sep + (value.len() - value.trim_start().len()),
    )
}

/// The arguments of the call whose `(` is at `open`, and where it ends.
pub(super) fn arguments(
    code: &str,
    literals: &[Literal],
    open: usize,
) -> Option<(Vec<Item>, usize)> {
    let close = matching(code, literals, open)?;
    let mut items = Vec::new();
    split(code, literals, open + 1, close, 0, &mut items);
    Some((items, close + 1))
}

/// The names `name` is imported under (`from netmiko import ConnectHandler
/// as C`, `import X as Y`): calls of them are calls of `name`.
pub(super) fn import_aliases<'a>(code: &'a str, name: &str) -> Vec<&'a str> {
    let pattern = format!("{name} as ");
    code.match_indices(&pattern)
        .filter(|(at, _)| {
            let line_start = code
                .get(..*at)
                .and_then(|b| b.rfind('\n'))
                .map_or(0, |i| i + 1);
            code.get(line_start..*at).is_some_and(|line| {
                line.contains("import ") && line.chars().next_back().is_none_or(|c| !is_ident(c))
            })
        })
        .filter_map(|(at, _)| {
            let rest = code.get(at + pattern.len()..)?;
            let end = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
            rest.get(..end).filter(|alias| !alias.is_empty())
        })
        .collect()
}

/// Calls of `name` in the code: where the name starts and where its `(`
/// is. A whole name: `myupload_file(` is not `upload_file(`.
pub(super) fn calls(code: &str, name: &str) -> Vec<(usize, usize)> {
    let pattern = format!("{name}(");
    code.match_indices(&pattern)
        .filter(|(at, _)| {
            code.get(..*at)
                .and_then(|b| b.chars().next_back())
                .is_none_or(|c| !is_ident(c))
        })
        .map(|(at, _)| (at, at + name.len()))
        .collect()
}

/// Each call of `name` in the code: where it starts, and its arguments.
pub(super) fn calls_with_args<'a>(
    code: &'a str,
    literals: &'a [Literal],
    name: &str,
) -> Vec<(usize, Args<'a>)> {
    calls(code, name)
        .into_iter()
        .filter_map(|(at, open)| {
            let (items, _) = arguments(code, literals, open)?;
            Some((
                at,
                Args {
                    code,
                    literals,
                    items,
                    used: Vec::new(),
                },
            ))
        })
        .collect()
}

/// The arguments of the call whose `(` is at `open`.
pub(super) fn args_at<'a>(code: &'a str, literals: &'a [Literal], open: usize) -> Option<Args<'a>> {
    let (items, _) = arguments(code, literals, open)?;
    Some(Args {
        code,
        literals,
        items,
        used: Vec::new(),
    })
}

/// A call's arguments, with the literals they hold.
pub(super) struct Args<'a> {
    code: &'a str,
    literals: &'a [Literal],
    pub(super) items: Vec<Item>,
    pub(super) used: Vec<usize>,
}

impl Args<'_> {
    pub(super) fn keyed(&self, keys: &[&str]) -> Option<&Item> {
        self.items
            .iter()
            .find(|i| i.key.as_deref().is_some_and(|k| keys.contains(&k)))
    }

    fn positional(&self, n: usize) -> Option<&Item> {
        self.items.iter().filter(|i| i.key.is_none()).nth(n)
    }

    fn positionals(&self) -> usize {
        self.items.iter().filter(|i| i.key.is_none()).count()
    }

    pub(super) fn has(&self, keys: &[&str]) -> bool {
        self.keyed(keys).is_some()
    }

    /// The argument at `keys` or else position `n`.
    fn get(&self, keys: &[&str], n: Option<usize>) -> Option<&Item> {
        self.keyed(keys)
            .or_else(|| n.and_then(|n| self.positional(n)))
    }

    /// The text of a literal argument.
    pub(super) fn text(&mut self, keys: &[&str], n: Option<usize>) -> Option<String> {
        let item = self.get(keys, n)?;
        let (index, literal) = literal_at(self.literals, item.start)?;
        (literal.end == item.end && !literal.backtick).then(|| {
            let text = literal.text.clone();
            self.used.push(index);
            text
        })
    }

    /// The literals of a list argument (`['a', 'b']`), one per line, as a
    /// device's CLI takes a list of commands.
    pub(super) fn lines(&mut self, keys: &[&str], n: Option<usize>) -> Option<String> {
        let item = self.get(keys, n)?;
        let (start, end) = (item.start, item.end);
        if !matches!(self.code.as_bytes().get(start), Some(b'[' | b'(')) {
            return None;
        }
        let inside: Vec<(usize, String)> = self
            .literals
            .iter()
            .enumerate()
            .filter(|(_, l)| l.start > start && l.end < end && !l.backtick)
            .map(|(i, l)| (i, l.text.clone()))
            .collect();
        if inside.is_empty() {
            return None;
        }
        self.used.extend(inside.iter().map(|(i, _)| *i));
        Some(
            inside
                .into_iter()
                .map(|(_, t)| t)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    }

    /// What an argument sends: a literal's text, a file a read call opens,
    /// or something else.
    pub(super) fn body(&mut self, keys: &[&str], n: Option<usize>) -> Option<Body> {
        let item = self.get(keys, n)?;
        let (start, end) = (item.start, item.end);
        let Some((index, literal)) = self
            .literals
            .iter()
            .enumerate()
            .find(|(_, l)| l.start >= start && l.end <= end)
        else {
            let name = self.code.get(start..end).unwrap_or_default();
            let Some((index, file)) = opened_as(self.code, self.literals, name, start) else {
                return Some(Body::Other);
            };
            self.used.push(index);
            return Some(Body::File(file.to_owned()));
        };
        if literal.start == start && literal.end == end {
            self.used.push(index);
            return Some(Body::Text(literal.text.clone()));
        }
        let before = self.code.get(..literal.start).unwrap_or_default();
        if called_with(before, READ_CALLS).is_some() {
            self.used.push(index);
            return Some(Body::File(literal.text.clone()));
        }
        Some(Body::Other)
    }

    /// A file argument: a path literal, or a file a read call opens.
    pub(super) fn file(&mut self, keys: &[&str], n: Option<usize>) -> Option<Body> {
        match self.body(keys, n)? {
            Body::Text(path) => Some(Body::File(path)),
            other => Some(other),
        }
    }
}

/// The file a handle named `name` was opened on before `pos`: `name =
/// open('f', 'rb')`, `with open('f') as name:`, `$name = fopen('f',
/// 'r')`, `const name = fs.createReadStream('f')`, Ruby's
/// `File.open('f') do |name|`; `None` for anything else (a handle opened
/// to write is no file read). With the literal's index.
pub(super) fn opened_as<'a>(
    code: &str,
    literals: &'a [Literal],
    name: &str,
    pos: usize,
) -> Option<(usize, &'a str)> {
    if name.is_empty() || !name.chars().all(is_ident) {
        return None;
    }
    literals
        .iter()
        .enumerate()
        .filter(|(_, l)| l.end <= pos && !l.backtick)
        .rfind(|(_, l)| {
            let before = code.get(..l.start).unwrap_or_default();
            called_with(before, READ_CALLS).is_some()
                && !super::opened_to_write(code, l)
                && binds(code, l, name)
        })
        .map(|(index, l)| (index, l.text.as_str()))
}

/// True when the statement around the read call of `literal` binds its
/// result to `name`: an assignment before it, `as name` or `|name|` after.
fn binds(code: &str, literal: &Literal, name: &str) -> bool {
    let head = code.get(..literal.start).unwrap_or_default();
    let statement = head.rfind(['\n', ';']).map_or(0, |i| i + 1);
    let assigned = head
        .get(statement..)
        .and_then(|h| h.split_once('='))
        .is_some_and(|(target, call)| {
            !call.starts_with(['=', '>']) && target.split_whitespace().next_back() == Some(name)
        });
    let tail = code.get(literal.end..).unwrap_or_default();
    let tail = tail
        .get(..tail.find(['\n', ';']).unwrap_or(tail.len()))
        .unwrap_or_default();
    let named_after = |marker: &str| {
        tail.find(marker).is_some_and(|at| {
            let rest = tail.get(at + marker.len()..).unwrap_or_default();
            rest.strip_prefix(name)
                .is_some_and(|after| after.chars().next().is_none_or(|c| !is_ident(c)))
        })
    };
    assigned || named_after(" as ") || named_after("|")
}

/// The literal first argument of the last call of one of `names` before
/// `pos` (`client.bucket('b')` before `blob.upload_from_filename(...)`),
/// or the literal `n`th argument.
pub(super) fn named_before(
    code: &str,
    literals: &[Literal],
    pos: usize,
    names: &[&str],
    n: usize,
) -> Option<(String, usize)> {
    let (_, open) = names
        .iter()
        .flat_map(|name| calls(code, name))
        .filter(|(at, _)| *at < pos)
        .max_by_key(|(at, _)| *at)?;
    let (items, _) = arguments(code, literals, open)?;
    let item = items.iter().filter(|i| i.key.is_none()).nth(n)?;
    let (index, literal) = literal_at(literals, item.start)?;
    (literal.end == item.end).then(|| (literal.text.clone(), index))
}

/// The last literal before `pos` given as one of `keys`
/// (`container_name='c'`).
pub(super) fn keyword_before(
    code: &str,
    literals: &[Literal],
    pos: usize,
    keys: &[&str],
) -> Option<(String, usize)> {
    literals
        .iter()
        .enumerate()
        .filter(|(_, l)| l.start < pos)
        .rfind(|(_, l)| value_of(code.get(..l.start).unwrap_or_default(), keys))
        .map(|(i, l)| (l.text.clone(), i))
}

/// boto3 and the AWS SDK for JavaScript: `upload_file`, `upload_fileobj`,
/// `put_object`, `PutObjectCommand`, `putObject`, `Upload`, `upload`.
fn s3_uploads(code: &str, literals: &[Literal], used: &mut Vec<usize>, out: &mut Vec<Upload>) {
    let endpoint = keyword_before(code, literals, code.len(), &["endpoint_url", "endpoint"])
        .filter(|(url, _)| url.starts_with("http"));
    if let Some((_, index)) = &endpoint {
        used.push(*index);
    }
    let target = |bucket: &str, key: &str| match &endpoint {
        Some((url, _)) => format!("{}/{bucket}/{key}", url.trim_end_matches('/')),
        None => format!("s3://{bucket}/{key}"),
    };
    for name in [
        "upload_file",
        "upload_fileobj",
        "put_object",
        "PutObjectCommand",
        "putObject",
        "Upload",
        "upload",
    ] {
        for (at, mut args) in calls_with_args(code, literals, name) {
            // The Hub's `upload_file(path_or_fileobj=..., repo_id=...)`.
            if args.has(&["path_or_fileobj", "repo_id", "path_in_repo"]) {
                continue;
            }
            let object = matches!(name, "PutObjectCommand" | "putObject" | "Upload" | "upload");
            if object && !args.has(BUCKET_KEYS) {
                continue;
            }
            let (bucket, key, body) = if object || name == "put_object" {
                let mut bucket = args.text(BUCKET_KEYS, None);
                if bucket.is_none() {
                    bucket = named_before(code, literals, at, &["Bucket"], 0).map(|(b, i)| {
                        args.used.push(i);
                        b
                    });
                }
                let key = args.text(KEY_KEYS, None);
                let body = args.body(BODY_KEYS, None);
                (bucket, key, body)
            } else {
                // `upload_file(Filename, Bucket, Key)`, or on a resource:
                // `Bucket('b').upload_file(Filename, Key)`,
                // `Object('b', 'k').upload_file(Filename)`.
                let file_keys: &[&str] = if name == "upload_file" {
                    &["Filename"]
                } else {
                    &["Fileobj"]
                };
                let body = args.file(file_keys, Some(0));
                if args.positionals() >= 3 || args.has(&["Bucket"]) {
                    let bucket = args.text(&["Bucket"], Some(1));
                    let key = args.text(&["Key"], Some(2));
                    (bucket, key, body)
                } else if let Some((bucket, key, named)) =
                    super::buckets::s3_object_of(code, literals, at)
                {
                    // On an object its chain names: Ruby's
                    // `bucket('b').object('k').upload_file(f)`.
                    args.used.extend(named);
                    (Some(bucket), Some(key), body)
                } else {
                    let bucket = named_before(code, literals, at, &["Bucket", "Object"], 0);
                    let object_key = named_before(code, literals, at, &["Object"], 1);
                    let key = args.text(&["Key"], Some(1)).or_else(|| {
                        object_key.map(|(k, i)| {
                            args.used.push(i);
                            k
                        })
                    });
                    let bucket = bucket.map(|(b, i)| {
                        args.used.push(i);
                        b
                    });
                    (bucket, key, body)
                }
            };
            let public = public_acl(&mut args);
            used.append(&mut args.used);
            out.push(Upload {
                target: bucket.map(|b| target(&b, key.as_deref().unwrap_or_default())),
                body: body.unwrap_or(Body::Other),
                public,
            });
        }
    }
}

/// Ruby's resource API: `put(body: ..., acl: ...)` on an S3 object its
/// chain names (`s3.bucket('b').object('k').put(body: File.read(p))`),
/// an upload to `s3://B/K` of its body.
fn object_puts(code: &str, literals: &[Literal], used: &mut Vec<usize>, out: &mut Vec<Upload>) {
    for (at, mut args) in calls_with_args(code, literals, "put") {
        let Some((bucket, key, named)) = super::buckets::s3_object_of(code, literals, at) else {
            continue;
        };
        let Some(body) = args.body(BODY_KEYS, None) else {
            continue;
        };
        args.used.extend(named);
        let public = public_acl(&mut args);
        used.append(&mut args.used);
        out.push(Upload {
            target: Some(format!("s3://{bucket}/{key}")),
            body,
            public,
        });
    }
}

/// The keys of an S3 call's bucket, object key and body: boto3's, the
/// JavaScript and PHP SDKs' (`Bucket`), and Ruby's `aws-sdk-s3` keyword
/// arguments (`bucket:`, `key:`, `body:`), whose methods are boto3's.
pub(super) const BUCKET_KEYS: &[&str] = &["Bucket", "bucket"];
pub(super) const KEY_KEYS: &[&str] = &["Key", "key"];
const BODY_KEYS: &[&str] = &["Body", "body"];

/// Keys that give an upload a canned ACL: S3's `ACL` (boto3's keyword or
/// `ExtraArgs` entry, the JavaScript SDK's parameter; Ruby's `acl:`) and
/// GCS's predefined ACLs.
pub(super) const ACL_KEYS: &[&str] = &[
    "ACL",
    "acl",
    "predefined_acl",
    "predefinedAcl",
    "destination_predefined_acl",
];

/// True when the call's arguments open what it writes to everyone: a
/// public canned ACL, or the GCS Node client's `public: true`.
fn public_acl(args: &mut Args<'_>) -> bool {
    let canned = args
        .text(ACL_KEYS, None)
        .is_some_and(|acl| crate::commands::cloud::is_public_acl(&acl));
    let flag = args.keyed(&["public"]).is_some_and(|item| {
        args.code
            .get(item.start..item.end)
            .is_some_and(|v| v.trim() == "true")
    });
    canned || flag || stored_acl(args)
}

/// True when a name the call is given (`ExtraArgs=extra`) is a mapping
/// the code stores a public canned ACL in (`extra["ACL"] =
/// "public-read"`, JavaScript's `params.ACL = ...`); that literal is
/// marked used.
fn stored_acl(args: &mut Args<'_>) -> bool {
    let code = args.code;
    let names: Vec<&str> = args
        .items
        .iter()
        .filter_map(|item| {
            let text = code.get(item.start..item.end)?.trim();
            (!text.is_empty() && text.chars().all(is_ident)).then_some(text)
        })
        .collect();
    if names.is_empty() {
        return false;
    }
    let found = args.literals.iter().enumerate().find(|(_, literal)| {
        crate::commands::cloud::is_public_acl(&literal.text)
            && stored_in(code.get(..literal.start).unwrap_or_default())
                .is_some_and(|name| names.contains(&name))
    });
    if let Some((index, _)) = found {
        args.used.push(index);
    }
    found.is_some()
}

/// The mapping whose ACL key the value after `before` is stored in:
/// `extra` for `extra["ACL"] = ` or `extra.ACL = `.
fn stored_in(before: &str) -> Option<&str> {
    let target = before.trim_end().strip_suffix('=')?;
    if target.ends_with(['=', '!', '<', '>']) {
        return None;
    }
    let target = target.trim_end();
    let (holder, key) = match target.strip_suffix(']') {
        Some(inner) => {
            let (holder, key) = inner.rsplit_once('[')?;
            (holder, key.trim().trim_matches(['"', '\'']))
        }
        None => target.rsplit_once('.')?,
    };
    if !ACL_KEYS.contains(&key) {
        return None;
    }
    let holder = holder.trim_end();
    let start = holder
        .char_indices()
        .rev()
        .find(|(_, c)| !is_ident(*c))
        .map_or(0, |(at, c)| at + c.len_utf8());
    holder.get(start..).filter(|name| !name.is_empty())
}

/// Google Cloud Storage: Python's `blob.upload_from_*`, Node's
/// `bucket.upload(file)` and `file.save(data)`.
fn gcs_uploads(code: &str, literals: &[Literal], used: &mut Vec<usize>, out: &mut Vec<Upload>) {
    let buckets: &[&str] = &["bucket", "get_bucket", "lookup_bucket"];
    for (name, file_keys, is_file) in [
        ("upload_from_filename", &["filename"][..], true),
        ("upload_from_file", &["file_obj"][..], true),
        ("upload_from_string", &["data"][..], false),
        ("upload", &["destination_never"][..], true),
        ("save", &["data"][..], false),
    ] {
        for (at, mut args) in calls_with_args(code, literals, name) {
            let bucket = named_before(code, literals, at, buckets, 0);
            let (key, body) = match name {
                // Node: `storage.bucket('b').upload('f', {destination: 'k'})`.
                "upload" => {
                    if bucket.is_none() || args.has(&["Bucket"]) {
                        continue;
                    }
                    let body = args.file(&[], Some(0));
                    let key = args.text(&["destination"], None).or_else(|| match &body {
                        Some(Body::File(f)) => f.rsplit('/').next().map(str::to_owned),
                        _ => None,
                    });
                    (key, body)
                }
                // Node: `bucket.file('k').save(data)`.
                "save" => {
                    let Some((key, index)) = named_before(code, literals, at, &["file"], 0) else {
                        continue;
                    };
                    if bucket.is_none() {
                        continue;
                    }
                    args.used.push(index);
                    (Some(key), args.body(file_keys, Some(0)))
                }
                _ => {
                    let key =
                        named_before(code, literals, at, &["blob", "Blob"], 0).map(|(k, i)| {
                            args.used.push(i);
                            k
                        });
                    let body = if is_file {
                        args.file(file_keys, Some(0))
                    } else {
                        args.body(file_keys, Some(0))
                    };
                    (key, body)
                }
            };
            let bucket = bucket.map(|(b, i)| {
                args.used.push(i);
                b
            });
            let public = public_acl(&mut args);
            used.append(&mut args.used);
            out.push(Upload {
                target: bucket.map(|b| format!("gs://{b}/{}", key.unwrap_or_default())),
                body: body.unwrap_or(Body::Other),
                public,
            });
        }
    }
}

/// Azure Blob Storage: `BlobClient....upload_blob(data)` and
/// `ContainerClient....upload_blob(name, data)`, to the blob's URL when the
/// account, container and blob are written out.
fn azure_uploads(code: &str, literals: &[Literal], used: &mut Vec<usize>, out: &mut Vec<Upload>) {
    for (at, mut args) in calls_with_args(code, literals, "upload_blob") {
        let container_form = args.has(&["name"]) || args.positionals() >= 2;
        let (blob, body) = if container_form {
            let blob = args.text(&["name"], Some(0));
            let n = if args.has(&["name"]) { 0 } else { 1 };
            (blob, args.body(&["data"], Some(n)))
        } else {
            (None, args.body(&["data"], Some(0)))
        };
        let mut take = |found: Option<(String, usize)>| {
            found.map(|(text, index)| {
                args.used.push(index);
                text
            })
        };
        // A whole URL: `from_blob_url(URL)`, `from_container_url(URL)`.
        let whole = take(named_before(
            code,
            literals,
            at,
            &["from_blob_url", "from_container_url"],
            0,
        ));
        let target = match whole {
            Some(url) if container_form => Some(super::sdk_azure::blob_url(
                &url,
                blob.as_deref().unwrap_or_default(),
            )),
            Some(url) => Some(url),
            None => {
                let account = take(
                    keyword_before(code, literals, at, &["account_url"]).or_else(|| {
                        named_before(code, literals, at, &["BlobServiceClient"], 0)
                            .filter(|(u, _)| u.starts_with("http"))
                    }),
                )
                .map(|u| u.trim_end_matches('/').to_owned())
                .or_else(|| {
                    literals
                        .iter()
                        .find_map(|l| connection_account(&l.text))
                        .map(|a| format!("https://{a}.blob.core.windows.net"))
                });
                let container = take(
                    keyword_before(code, literals, at, &["container_name", "container"]).or_else(
                        || {
                            named_before(
                                code,
                                literals,
                                at,
                                &["get_container_client", "get_blob_client"],
                                0,
                            )
                        },
                    ),
                );
                let blob = blob.or_else(|| {
                    take(
                        keyword_before(code, literals, at, &["blob_name", "blob"])
                            .or_else(|| named_before(code, literals, at, &["get_blob_client"], 1)),
                    )
                });
                let host = account.unwrap_or_else(|| "https://blob.core.windows.net".to_owned());
                container.map(|c| format!("{host}/{c}/{}", blob.unwrap_or_default()))
            }
        };
        used.append(&mut args.used);
        out.push(Upload {
            target,
            body: body.unwrap_or(Body::Other),
            public: false,
        });
    }
}

/// Dataframe and table writers that take an fsspec URL as their path
/// (pandas' `to_csv`/`to_parquet`/..., polars' `write_*`, pyarrow's
/// `write_table`): a write to `s3://`, `gs://` or an Azure Data Lake URL
/// is an upload there of what the code read.
const TABLE_WRITERS: &[&str] = &[
    "to_csv",
    "to_parquet",
    "to_json",
    "to_excel",
    "to_feather",
    "to_orc",
    "to_pickle",
    "to_hdf",
    "to_xml",
    "to_stata",
    "write_csv",
    "write_parquet",
    "write_json",
    "write_ndjson",
    "write_ipc",
    "write_delta",
    "write_table",
    "write_dataset",
];

fn table_writes(code: &str, literals: &[Literal], used: &mut Vec<usize>, out: &mut Vec<Upload>) {
    for writer in TABLE_WRITERS {
        for (_, mut args) in calls_with_args(code, literals, writer) {
            // pyarrow's `write_table(table, where)` names the path second.
            let position =
                usize::from(writer.starts_with("write_table") || *writer == "write_dataset");
            let keys = [
                "path_or_buf",
                "path",
                "file",
                "where",
                "target",
                "base_dir",
                "excel_writer",
            ];
            let Some(target) = args
                .text(&keys, Some(position))
                .and_then(|p| storage_url(&p))
            else {
                continue;
            };
            used.append(&mut args.used);
            out.push(Upload {
                target: Some(target),
                body: Body::Other,
                public: false,
            });
        }
    }
}

/// A cloud storage URL as fsspec writes it, in the form destinations are
/// read in: `s3a://` is `s3://`, `gcs://` is `gs://`, and Azure Data Lake's
/// `abfs[s]://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH` (or `az://`,
/// `adl://`) is the account's HTTPS URL. Other paths are not uploads.
pub(super) fn storage_url(path: &str) -> Option<String> {
    let (scheme, rest) = path.split_once("://")?;
    match scheme.to_ascii_lowercase().as_str() {
        "s3" | "s3a" | "s3n" => Some(format!("s3://{rest}")),
        "gs" | "gcs" => Some(format!("gs://{rest}")),
        "abfs" | "abfss" | "az" | "adl" | "wasb" | "wasbs" => {
            let (authority, object) = rest.split_once('/').unwrap_or((rest, ""));
            match authority.split_once('@') {
                Some((container, account)) => {
                    Some(format!("https://{account}/{container}/{object}"))
                }
                None if authority.contains('.') => Some(format!("https://{authority}/{object}")),
                None => Some(format!(
                    "https://blob.core.windows.net/{authority}/{object}"
                )),
            }
        }
        _ => None,
    }
}

/// `AccountName=NAME` in a connection string.
fn connection_account(text: &str) -> Option<String> {
    text.split(';')
        .find_map(|part| part.strip_prefix("AccountName="))
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
}

/// The uploads the code makes, and the literals they use.
pub(super) fn uploads(code: &str, literals: &[Literal]) -> (Vec<Upload>, Vec<usize>) {
    let mut out = Vec::new();
    let mut used = Vec::new();
    s3_uploads(code, literals, &mut used, &mut out);
    object_puts(code, literals, &mut used, &mut out);
    gcs_uploads(code, literals, &mut used, &mut out);
    azure_uploads(code, literals, &mut used, &mut out);
    super::sdk_azure::uploads(code, literals, &mut used, &mut out);
    super::sdk_ai::sends(code, literals, &mut used, &mut out);
    table_writes(code, literals, &mut used, &mut out);
    if !out.is_empty() {
        // The service's name (`boto3.client('s3')`) is not data.
        for (index, literal) in literals.iter().enumerate() {
            let before = code.get(..literal.start).unwrap_or_default();
            if literal.text == "s3" && called_with(before, &["client", "resource"]).is_some() {
                used.push(index);
            }
        }
    }
    (out, used)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inline::literals;

    fn targets(code: &str) -> Vec<Option<String>> {
        uploads(code, &literals(code))
            .0
            .into_iter()
            .map(|u| u.target)
            .collect()
    }

    #[test]
    fn keyword_and_object_arguments_are_read() {
        assert_eq!(
            targets("s3.upload_file(Filename='a.csv', Bucket='b', Key='k')"),
            [Some("s3://b/k".to_owned())]
        );
        assert_eq!(
            targets("await c.send(new PutObjectCommand({Bucket: 'b', Key: 'k/x', Body: 'hi'}))"),
            [Some("s3://b/k/x".to_owned())]
        );
        assert_eq!(
            targets("storage.Client().bucket('b').blob('k').upload_from_filename('f')"),
            [Some("gs://b/k".to_owned())]
        );
        assert!(targets("s3.download_file('b', 'k', 'f')").is_empty());
    }
}
