//! What JavaScript run by a database shell (mongosh and the legacy mongo
//! shell, arangosh) does to the data, by the methods it calls outside
//! strings and comments: `find`, `aggregate` and `stats` read;
//! `insertOne`, `updateMany`, `createIndex` change; `drop()`,
//! `dropDatabase()`, `_truncate()` and a delete with an empty filter
//! (`deleteMany({})`, `remove({})`) destroy, while a filtered one is a
//! change. Queries given as text (arangosh's `db._query("AQL")`) and
//! database commands given as documents (`db.runCommand({drop: "c"})`)
//! are read too.

use super::strongest;
use crate::DataClass;

/// Whose shell the code runs in: their collections' methods differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shell {
    Mongo,
    Arango,
}

/// The class of `code`: the strongest of its calls; code that calls no
/// method that changes anything (`show dbs`, `db.c.find()`) reads.
pub(super) fn class(code: &str, shell: Shell) -> DataClass {
    let mask = code_mask(code);
    let calls = method_calls(code, &mask).into_iter();
    let pipeline_writes = writes_by_stage(code).then_some(DataClass::Write);
    strongest(
        calls
            .map(|call| call_class(&call, shell))
            .chain(pipeline_writes),
    )
}

/// One method call: its name and the text of its first argument.
#[derive(Debug, PartialEq, Eq)]
struct Call<'a> {
    name: &'a str,
    first: &'a str,
}

/// Methods that destroy whatever their receiver is (a database, a
/// collection) or empty it.
const DESTROYS: &[&str] = &[
    "dropDatabase",
    "drop",
    "_drop",
    "_dropDatabase",
    "_truncate",
    "truncate",
];

/// Methods that remove every document their filter matches: all of
/// them when the filter is empty.
const FILTERED_DELETES: &[&str] = &["deleteMany", "remove", "removeByExample"];

/// MongoDB methods that change data, schema, users or the deployment.
const MONGO_WRITES: &[&str] = &[
    "insert",
    "insertOne",
    "insertMany",
    "update",
    "updateOne",
    "updateMany",
    "replaceOne",
    "deleteOne",
    "save",
    "bulkWrite",
    "findOneAndUpdate",
    "findOneAndReplace",
    "findOneAndDelete",
    "findAndModify",
    "mapReduce",
    "execute",
    "createCollection",
    "createView",
    "createIndex",
    "createIndexes",
    "ensureIndex",
    "dropIndex",
    "dropIndexes",
    "hideIndex",
    "unhideIndex",
    "createSearchIndex",
    "createSearchIndexes",
    "updateSearchIndex",
    "dropSearchIndex",
    "renameCollection",
    "convertToCapped",
    "copyDatabase",
    "cloneDatabase",
    "cloneCollection",
    "createUser",
    "updateUser",
    "dropUser",
    "dropAllUsers",
    "changeUserPassword",
    "grantRolesToUser",
    "revokeRolesFromUser",
    "createRole",
    "updateRole",
    "dropRole",
    "dropAllRoles",
    "grantPrivilegesToRole",
    "revokePrivilegesFromRole",
    "grantRolesToRole",
    "revokeRolesFromRole",
    "setProfilingLevel",
    "shutdownServer",
    "fsyncLock",
    "fsyncUnlock",
    "killOp",
    "eval",
    "enableSharding",
    "shardCollection",
    "reshardCollection",
    "addShard",
    "removeShard",
    "moveChunk",
    "splitAt",
    "splitFind",
    "startBalancer",
    "stopBalancer",
    "setBalancerState",
    "initiate",
    "reconfig",
    "stepDown",
    "freeze",
    "syncFrom",
];

/// arangosh's collection and database methods that change something.
const ARANGO_WRITES: &[&str] = &[
    "save",
    "insert",
    "update",
    "replace",
    "updateByExample",
    "replaceByExample",
    "removeByKeys",
    "ensureIndex",
    "dropIndex",
    "rename",
    "_create",
    "_createDocumentCollection",
    "_createEdgeCollection",
    "_createDatabase",
    "_createView",
    "_dropView",
    "_remove",
    "_replace",
    "_update",
    "_insert",
    "_save",
];

/// arangosh's methods that run an AQL query given as text.
const AQL_RUNNERS: &[&str] = &["_query", "_createStatement"];

/// Database commands (`db.runCommand({NAME: ...})`) that only read.
const READ_COMMANDS: &[&str] = &[
    "ping",
    "hello",
    "isMaster",
    "ismaster",
    "buildInfo",
    "buildinfo",
    "serverStatus",
    "dbStats",
    "collStats",
    "dataSize",
    "listCollections",
    "listDatabases",
    "listIndexes",
    "listShards",
    "hostInfo",
    "connectionStatus",
    "getParameter",
    "getCmdLineOpts",
    "getLog",
    "replSetGetStatus",
    "replSetGetConfig",
    "currentOp",
    "count",
    "distinct",
    "find",
    "explain",
    "usersInfo",
    "rolesInfo",
    "validate",
    "top",
    "whatsmyuri",
    "balancerStatus",
    "connPoolStats",
    "lockInfo",
    "features",
];

fn call_class(call: &Call<'_>, shell: Shell) -> DataClass {
    let name = call.name;
    if DESTROYS.contains(&name) {
        return DataClass::Destroy;
    }
    if FILTERED_DELETES.contains(&name) {
        let filter: String = call.first.split_whitespace().collect();
        return if filter.is_empty() || filter == "{}" {
            DataClass::Destroy
        } else {
            DataClass::Write
        };
    }
    if matches!(name, "runCommand" | "adminCommand") {
        return command_class(call.first);
    }
    let writes = match shell {
        Shell::Mongo => MONGO_WRITES,
        Shell::Arango => ARANGO_WRITES,
    };
    if writes.contains(&name) {
        return DataClass::Write;
    }
    if shell == Shell::Arango && AQL_RUNNERS.contains(&name) {
        return aql_class(call.first);
    }
    // arangosh's `properties()` reads them, `properties({...})` sets them.
    if shell == Shell::Arango && name == "properties" && !call.first.trim().is_empty() {
        return DataClass::Write;
    }
    DataClass::Read
}

/// A database command given as a document (`{drop: "c"}`) or a name
/// (`"ping"`), by its first key: dropping a database or collection
/// destroys it, the commands of [`READ_COMMANDS`] read, the rest change.
fn command_class(document: &str) -> DataClass {
    let text = document.trim();
    let name = match text.strip_prefix('{') {
        Some(body) => body.split(':').next().unwrap_or_default(),
        None => text,
    };
    let name = name.trim().trim_matches(['"', '\'', '`']);
    match name {
        "dropDatabase" | "drop" => DataClass::Destroy,
        _ if READ_COMMANDS.contains(&name) => DataClass::Read,
        _ => DataClass::Write,
    }
}

/// An AQL query's class: `REMOVE` in a loop no `FILTER` or `LIMIT` narrows
/// empties the collection; `INSERT`, `UPDATE`, `REPLACE`, `UPSERT` and
/// `REMOVE` change; the rest reads.
fn aql_class(query: &str) -> DataClass {
    let words: Vec<String> = query
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .map(str::to_ascii_uppercase)
        .collect();
    let has = |word: &str| words.iter().any(|w| w == word);
    if has("REMOVE") && has("FOR") && !has("FILTER") && !has("LIMIT") {
        DataClass::Destroy
    } else if ["INSERT", "UPDATE", "REPLACE", "UPSERT", "REMOVE"]
        .iter()
        .any(|w| has(w))
    {
        DataClass::Write
    } else {
        DataClass::Read
    }
}

/// True when an aggregation stage writes its results into a collection
/// (`$out`, `$merge`), wherever it is written (a pipeline is often built
/// with quoted keys).
fn writes_by_stage(code: &str) -> bool {
    ["$out", "$merge"].iter().any(|stage| {
        code.match_indices(stage).any(|(at, _)| {
            code[at + stage.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_')
        })
    })
}

/// Where a scan of code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lexical {
    Code,
    Quote(u8),
    LineComment,
    BlockComment,
}

/// For each byte of `code`, whether it is code: not inside a string, a
/// template literal or a comment, nor their delimiters.
fn code_mask(code: &str) -> Vec<bool> {
    let bytes = code.as_bytes();
    let mut mask = vec![false; bytes.len()];
    let mut state = Lexical::Code;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let next = bytes.get(at + 1).copied();
        match state {
            Lexical::Code => match (byte, next) {
                (b'/', Some(b'/')) => state = Lexical::LineComment,
                (b'/', Some(b'*')) => {
                    state = Lexical::BlockComment;
                    at += 1;
                }
                (b'\'' | b'"' | b'`', _) => state = Lexical::Quote(byte),
                _ => mask[at] = true,
            },
            Lexical::Quote(quote) => {
                if byte == b'\\' {
                    at += 1;
                } else if byte == quote {
                    state = Lexical::Code;
                }
            }
            Lexical::LineComment => {
                if byte == b'\n' {
                    state = Lexical::Code;
                }
            }
            Lexical::BlockComment => {
                if byte == b'*' && next == Some(b'/') {
                    state = Lexical::Code;
                    at += 1;
                }
            }
        }
        at += 1;
    }
    mask
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$'
}

/// Every `.name(...)` in the code, with its first argument.
fn method_calls<'a>(code: &'a str, mask: &[bool]) -> Vec<Call<'a>> {
    let bytes = code.as_bytes();
    let is_code = |at: usize| mask.get(at).copied().unwrap_or(false);
    let mut calls = Vec::new();
    for dot in (0..bytes.len()).filter(|&at| bytes[at] == b'.' && is_code(at)) {
        let start = skip_spaces(bytes, dot + 1);
        let mut end = start;
        while end < bytes.len() && is_code(end) && is_ident_byte(bytes[end]) {
            end += 1;
        }
        let open = skip_spaces(bytes, end);
        if end == start || bytes.get(open) != Some(&b'(') || !is_code(open) {
            continue;
        }
        let close = closing(bytes, mask, open);
        let first_end = first_argument_end(bytes, mask, open + 1, close);
        calls.push(Call {
            name: code.get(start..end).unwrap_or_default(),
            first: code.get(open + 1..first_end).unwrap_or_default(),
        });
    }
    calls
}

fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// The bytes of code from `from` to `to`, with their indices.
fn code_bytes<'b>(
    bytes: &'b [u8],
    mask: &'b [bool],
    from: usize,
    to: usize,
) -> impl Iterator<Item = (usize, u8)> + 'b {
    bytes
        .iter()
        .zip(mask)
        .enumerate()
        .take(to)
        .skip(from)
        .filter(|(_, (_, is_code))| **is_code)
        .map(|(at, (byte, _))| (at, *byte))
}

/// The index of the `)` that closes the `(` at `open` (the end of the
/// code when none does).
fn closing(bytes: &[u8], mask: &[bool], open: usize) -> usize {
    let mut depth = 0usize;
    for (at, byte) in code_bytes(bytes, mask, open, bytes.len()) {
        match byte {
            b'(' => depth += 1,
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
    }
    bytes.len()
}

/// Where the first argument between `from` and `to` ends: at the first
/// comma outside brackets.
fn first_argument_end(bytes: &[u8], mask: &[bool], from: usize, to: usize) -> usize {
    let mut depth = 0usize;
    for (at, byte) in code_bytes(bytes, mask, from, to) {
        match byte {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => return at,
            _ => {}
        }
    }
    to
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mongo(code: &str) -> DataClass {
        class(code, Shell::Mongo)
    }

    #[test]
    fn mongo_code_is_classed_by_its_calls() {
        assert_eq!(mongo("db.dropDatabase()"), DataClass::Destroy);
        assert_eq!(mongo("db.users.drop()"), DataClass::Destroy);
        assert_eq!(mongo("db.users.deleteMany( { } )"), DataClass::Destroy);
        assert_eq!(
            mongo("db.users.deleteMany({active: false})"),
            DataClass::Write
        );
        assert_eq!(
            mongo("db.users.updateOne({a: 1}, {$set: {b: 2}})"),
            DataClass::Write
        );
        assert_eq!(mongo("db.users.find({a: 1}).count()"), DataClass::Read);
        // A field named like a method is not a call.
        assert_eq!(
            mongo("db.p.find({}, {updatedAt: 1}).sort({ updatedAt: 1 }).toArray()"),
            DataClass::Read
        );
        // Nor is a method named in a string or a comment.
        assert_eq!(
            mongo("db.log.find({msg: 'db.dropDatabase()'}) // .drop()"),
            DataClass::Read
        );
        assert_eq!(
            mongo(
                "const ff = db.getSiblingDB(\"ff\");\nprintjson(ff.stats());\nff.dropDatabase();"
            ),
            DataClass::Destroy
        );
        assert_eq!(
            mongo("db.e.aggregate([{$match: {}}, {\"$out\": \"copy\"}])"),
            DataClass::Write
        );
        assert_eq!(mongo("db.c.dropIndex('a_1')"), DataClass::Write);
        assert_eq!(mongo("db.runCommand({ drop: 'c' })"), DataClass::Destroy);
        assert_eq!(mongo("db.runCommand({ping: 1})"), DataClass::Read);
        assert_eq!(mongo("db.adminCommand('listDatabases')"), DataClass::Read);
        assert_eq!(mongo("name.replace('a', 'b')"), DataClass::Read);
    }

    #[test]
    fn arango_code_is_classed_by_its_calls() {
        let arango = |code| class(code, Shell::Arango);
        assert_eq!(
            arango("db._truncate(\"price_history\");"),
            DataClass::Destroy
        );
        assert_eq!(arango("db.prices.truncate()"), DataClass::Destroy);
        assert_eq!(arango("db._drop('x')"), DataClass::Destroy);
        assert_eq!(arango("db.prices.save({a: 1})"), DataClass::Write);
        assert_eq!(arango("db.prices.removeByExample({})"), DataClass::Destroy);
        assert_eq!(arango("db.prices.remove('k1')"), DataClass::Write);
        assert_eq!(arango("db.prices.count()"), DataClass::Read);
        assert_eq!(
            arango("db._query('FOR p IN prices REMOVE p IN prices')"),
            DataClass::Destroy
        );
        assert_eq!(
            arango("db._query('FOR p IN prices FILTER p.old REMOVE p IN prices')"),
            DataClass::Write
        );
        assert_eq!(
            arango("db._query('FOR p IN prices RETURN p').toArray()"),
            DataClass::Read
        );
    }
}
