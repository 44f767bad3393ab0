//! Database clients that do not speak SQL: `mongosh`/`mongo`,
//! `mongoimport` and `mongorestore`, and `redis-cli`/`valkey-cli`, each
//! reporting a [`DataCommand`] classified as what it does to the data.

use super::sql::{strip_port, uri_host};
use super::{Invocation, Outcome};
use crate::args::{self, Spec};
use crate::{DataClass, DataCommand, Effect, Payload, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let command = match inv.program {
        "mongosh" | "mongo" => mongo(inv),
        "redis-cli" | "valkey-cli" | "keydb-cli" => return Some(redis(inv)),
        "mongoimport" => mongoimport(inv),
        "mongorestore" => mongorestore(inv),
        _ => return None,
    };
    Some(Outcome::default().effect(Effect::DataCommand(command)))
}

/// `mongoimport --uri URI|--host H [--file F]`: the file (or standard
/// input) is written into the collection.
fn mongoimport(inv: &Invocation<'_>) -> DataCommand {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "hdcuf",
            long: &[
                "uri",
                "host",
                "port",
                "db",
                "collection",
                "username",
                "password",
                "file",
                "type",
                "fields",
                "fieldFile",
                "mode",
                "authenticationDatabase",
            ],
            stop_after: None,
        },
    );
    let host = connection_host(&items, &["-h", "--host"]);
    let mut files: Vec<String> = args::values(&items, &["--file"])
        .iter()
        .map(|f| inv.path(&f.text))
        .collect();
    if files.is_empty() {
        files = stdin_files(inv);
    }
    // `--drop` drops the collection before it imports.
    let class = if args::has(&items, &["--drop"]) {
        DataClass::Destroy
    } else {
        DataClass::Write
    };
    DataCommand {
        client: inv.program.to_owned(),
        host,
        command: None,
        files,
        class,
        login: crate::Payload::default(),
    }
}

/// `mongorestore [--uri URI | --host H] [--drop] [--dryRun]
/// [--archive[=F] | --dir D | D]`: the dump is written into the server's
/// collections; `--drop` drops each collection it restores first, and
/// `--dryRun` writes nothing. The dump goes to the server: `--archive`'s
/// file (standard input without one), `--dir`'s or the positional
/// directory or BSON file (`dump/` when none is given).
fn mongorestore(inv: &Invocation<'_>) -> DataCommand {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "hupdcj",
            long: &[
                "uri",
                "host",
                "port",
                "username",
                "password",
                "db",
                "collection",
                "authenticationDatabase",
                "authenticationMechanism",
                "awsSessionToken",
                "nsInclude",
                "nsExclude",
                "nsFrom",
                "nsTo",
                "dir",
                "oplogFile",
                "oplogLimit",
                "numParallelCollections",
                "numInsertionWorkersPerCollection",
                "writeConcern",
                "readPreference",
                "sslCAFile",
                "sslPEMKeyFile",
                "sslPEMKeyPassword",
                "tlsCAFile",
                "tlsCertificateKeyFile",
                "tlsCertificateKeyFilePassword",
                "config",
            ],
            stop_after: None,
        },
    );
    let host = connection_host(&items, &["-h", "--host"]);
    let archive = items.iter().find_map(|item| match item {
        args::Item::Opt { name, value } if name == "--archive" => Some(value.as_deref()),
        _ => None,
    });
    let files = match archive {
        Some(Some(file)) if file.text != "-" => vec![inv.path(&file.text)],
        Some(_) => stdin_files(inv),
        None => args::value(&items, &["--dir"])
            .or_else(|| args::positionals(&items).into_iter().next())
            .map_or_else(|| vec![inv.path("dump")], |d| vec![inv.path(&d.text)]),
    };
    let class = if args::has(&items, &["--dryRun"]) {
        DataClass::Read
    } else if args::has(&items, &["--drop"]) {
        DataClass::Destroy
    } else {
        DataClass::Write
    };
    DataCommand {
        client: inv.program.to_owned(),
        host,
        command: None,
        files,
        class,
        login: crate::Payload::default(),
    }
}

/// The server a MongoDB tool connects to: its connection string
/// (`--uri` or a positional `mongodb://…`) first, else its host option.
fn connection_host(items: &[args::Item<'_>], host_options: &[&str]) -> Option<String> {
    args::value(items, &["--uri"])
        .or_else(|| {
            args::positionals(items)
                .into_iter()
                .find(|a| a.text.starts_with("mongodb://") || a.text.starts_with("mongodb+srv://"))
        })
        .and_then(|u| uri_host(&u.text))
        .or_else(|| args::value(items, host_options).map(|h| mongo_host(&h.text)))
}

/// The first host of a `--host` value: `h`, `h:port`, a replica set's
/// `SET/h1:port,h2:port`, or a URI.
fn mongo_host(text: &str) -> String {
    if text.contains("://") {
        return uri_host(text).unwrap_or_default();
    }
    let hosts = text.split_once('/').map_or(text, |(_, hosts)| hosts);
    strip_port(hosts.split(',').next().unwrap_or_default())
}

/// `mongosh [URI] [--host H] [--eval JS] [FILE.js]`; the code comes from
/// `--eval` or standard input, else it is a script file or a shell.
fn mongo(inv: &Invocation<'_>) -> DataCommand {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "uph",
            long: &[
                "host",
                "port",
                "eval",
                "username",
                "password",
                "authenticationDatabase",
                "file",
                "tlsCAFile",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let host = connection_host(&items, &["--host", "-h"]);
    let code = args::value(&items, &["--eval"])
        .map(|c| c.text.clone())
        .or_else(|| {
            (inv.has_stdin && !inv.stdin.text.is_empty()).then(|| inv.stdin.text.join("\n"))
        });
    let class = code.as_deref().map_or(DataClass::Unknown, mongo_class);
    let mut files = stdin_files(inv);
    files.extend(
        args::value(&items, &["--file", "-f"])
            .into_iter()
            .chain(
                positional
                    .iter()
                    .copied()
                    .filter(|a| a.text.ends_with(".js")),
            )
            .map(|f| inv.path(&f.text)),
    );
    DataCommand {
        client: inv.program.to_owned(),
        host,
        command: code,
        files,
        class,
        login: crate::Payload::default(),
    }
}

/// What MongoDB shell code does, by the methods it calls.
fn mongo_class(code: &str) -> DataClass {
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let destroys = compact.contains("dropDatabase(")
        || compact.contains(".drop()")
        || ["deleteMany({})", "deleteMany()", "remove({})", "remove()"]
            .iter()
            .any(|m| compact.contains(m));
    if destroys {
        return DataClass::Destroy;
    }
    const WRITES: &[&str] = &[
        "insert",
        "update",
        "replace",
        "delete",
        "remove(",
        "bulkWrite(",
        "findOneAnd",
        "createCollection(",
        "createIndex",
        "dropIndex",
        "renameCollection(",
        "$out",
        "$merge",
        "createUser(",
        "grantRolesToUser(",
        "runCommand(",
        "adminCommand(",
    ];
    if WRITES.iter().any(|w| compact.contains(w)) {
        DataClass::Write
    } else {
        DataClass::Read
    }
}

/// `redis-cli [-h HOST] [-p PORT] [-u URI] [-a PASSWORD | --pass PASSWORD]
/// [-n DB] COMMAND ARGS...`; no command: an interactive session (or
/// commands on standard input, `--pipe`'s protocol stream among them).
/// What the command's arguments carry goes to the server with it
/// (`SET k "$(cat .env)"` sends `.env`), as does the password (`-a`,
/// `--pass`, `-u redis://:PASSWORD@host`, `REDISCLI_AUTH`) and the Lua
/// script of `--eval FILE`, which runs there. `--rdb FILE` and
/// `--functions-rdb FILE` write the server's dump here.
fn redis(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "hpsaunridDt",
            long: REDIS_VALUED_OPTIONS,
            stop_after: Some(1),
        },
    );
    let uri = args::value(&items, &["-u"]);
    let host = args::value(&items, &["-h"])
        .map(|h| h.text.clone())
        .or_else(|| uri.and_then(|u| uri_host(&u.text)));
    let positionals = args::positionals(&items);
    let words: Vec<String> = positionals.iter().map(|a| a.text.clone()).collect();
    let script = args::value(&items, &["--eval"]);
    let (command, class) = if let Some(class) = redis_mode_class(&items) {
        (None, class)
    } else if script.is_some() {
        // A Lua script runs whatever commands it holds.
        (Some(words.join(" ")), DataClass::Unknown)
    } else if words.is_empty() {
        let piped = inv.stdin.text.join("\n");
        if piped.is_empty() {
            (None, DataClass::Unknown)
        } else {
            let class = piped
                .lines()
                .map(|line| redis_class(line.split_whitespace().next().unwrap_or_default()))
                .max_by_key(|c| strength(*c))
                .unwrap_or(DataClass::Read);
            (Some(piped), class)
        }
    } else {
        let first = words.first().map(String::as_str).unwrap_or_default();
        let mut command = words.join(" ");
        // `-x`: the command's last argument is read from standard input.
        if args::has(&items, &["-x"]) && inv.has_stdin && !inv.stdin.text.is_empty() {
            command.push(' ');
            command.push_str(&inv.stdin.text.join("\n"));
        }
        (Some(command), redis_class(first))
    };
    let mut files = stdin_files(inv);
    files.extend(script.map(|f| inv.path(&f.text)));
    // The login payload carries what the line sends besides the command's
    // text: the password, and the variables and credentials the
    // arguments expand to; the files they expand to are files sent.
    let mut login = Payload::default();
    for password in args::values(&items, &["-a", "--pass"])
        .into_iter()
        .chain(inv.env_value("REDISCLI_AUTH"))
    {
        flow::merge(&mut login, &password.payload());
    }
    if let Some(password) = uri.and_then(|u| uri_password(&u.text)) {
        flow::push_text(&mut login, &password);
    }
    for word in &positionals {
        let mut carried = word.expansions();
        for file in std::mem::take(&mut carried.files) {
            if !files.contains(&file.path) {
                files.push(file.path);
            }
        }
        flow::merge(&mut login, &carried);
    }
    let mut outcome = Outcome::default();
    for dump in args::values(&items, &["--rdb", "--functions-rdb"]) {
        outcome.write(inv.path(&dump.text), false);
    }
    outcome.effect(Effect::DataCommand(DataCommand {
        client: inv.program.to_owned(),
        host,
        command,
        files,
        class,
        login,
    }))
}

/// The password of a `redis://[user]:PASSWORD@host` URI.
fn uri_password(uri: &str) -> Option<String> {
    let (_, rest) = uri.split_once("://")?;
    let authority = rest.split(['/', '?']).next()?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    (!password.is_empty()).then(|| password.to_owned())
}

/// The files standard input brings to a client (`< f`, `cat f |`).
fn stdin_files(inv: &Invocation<'_>) -> Vec<String> {
    if !inv.has_stdin {
        return Vec::new();
    }
    inv.stdin.files.iter().map(|f| f.path.clone()).collect()
}

fn strength(class: DataClass) -> u8 {
    match class {
        DataClass::Read => 0,
        DataClass::Write => 1,
        DataClass::Unknown => 2,
        DataClass::Destroy => 3,
    }
}

/// redis-cli's long options that take a value (`--tls`, `--scan`, `--raw`
/// and the other modes and switches take none).
const REDIS_VALUED_OPTIONS: &[&str] = &[
    "user",
    "pass",
    "cacert",
    "cacertdir",
    "cert",
    "key",
    "tls-ciphers",
    "tls-ciphersuites",
    "sni",
    "pattern",
    "quoted-pattern",
    "count",
    "eval",
    "rdb",
    "functions-rdb",
    "pipe-timeout",
    "memkeys-samples",
    "intrinsic-latency",
    "lru-test",
    "cluster",
];

/// What a redis-cli mode does instead of a command: the key scans and
/// statistics read, `--rdb` copies the data set to a local file (a read),
/// `--pipe` writes what standard input holds, `--cluster` administers the
/// cluster (`check` and `info` read; `create`, `reshard`, `del-node`...
/// change it). `None` when the line runs a command.
fn redis_mode_class(items: &[args::Item<'_>]) -> Option<DataClass> {
    const READ_MODES: &[&str] = &[
        "--scan",
        "--bigkeys",
        "--memkeys",
        "--hotkeys",
        "--keystats",
        "--stat",
        "--latency",
        "--latency-history",
        "--latency-dist",
        "--intrinsic-latency",
        "--lru-test",
        "--rdb",
        "--functions-rdb",
    ];
    if let Some(sub) = args::value(items, &["--cluster"]) {
        let reads = ["check", "info", "help"].contains(&sub.text.to_ascii_lowercase().as_str());
        return Some(if reads {
            DataClass::Read
        } else {
            DataClass::Write
        });
    }
    if args::has(items, &["--pipe"]) {
        return Some(DataClass::Write);
    }
    args::has(items, READ_MODES).then_some(DataClass::Read)
}

/// What one Redis command does.
fn redis_class(command: &str) -> DataClass {
    const READS: &[&str] = &[
        "GET",
        "MGET",
        "GETRANGE",
        "STRLEN",
        "EXISTS",
        "TYPE",
        "TTL",
        "PTTL",
        "KEYS",
        "SCAN",
        "HGET",
        "HMGET",
        "HGETALL",
        "HKEYS",
        "HVALS",
        "HLEN",
        "HEXISTS",
        "HSCAN",
        "LRANGE",
        "LLEN",
        "LINDEX",
        "SMEMBERS",
        "SISMEMBER",
        "SCARD",
        "SSCAN",
        "ZRANGE",
        "ZRANGEBYSCORE",
        "ZREVRANGE",
        "ZCARD",
        "ZSCORE",
        "ZRANK",
        "ZSCAN",
        "INFO",
        "PING",
        "DBSIZE",
        "ECHO",
        "TIME",
        "MONITOR",
        "SUBSCRIBE",
        "PSUBSCRIBE",
        "XRANGE",
        "XREAD",
        "XLEN",
        "XINFO",
        "CLIENT",
        "MEMORY",
        "SLOWLOG",
        "LATENCY",
        "COMMAND",
        "OBJECT",
        "RANDOMKEY",
        "DUMP",
        "PFCOUNT",
        "GETBIT",
        "BITCOUNT",
        "GEOPOS",
        "GEODIST",
        "GEOSEARCH",
    ];
    let upper = command.to_ascii_uppercase();
    match upper.as_str() {
        "FLUSHALL" | "FLUSHDB" => DataClass::Destroy,
        "" => DataClass::Unknown,
        _ if READS.contains(&upper.as_str()) => DataClass::Read,
        _ => DataClass::Write,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mongo_code_is_classed_by_its_calls() {
        assert_eq!(mongo_class("db.dropDatabase()"), DataClass::Destroy);
        assert_eq!(mongo_class("db.users.drop()"), DataClass::Destroy);
        assert_eq!(
            mongo_class("db.users.deleteMany( { } )"),
            DataClass::Destroy
        );
        assert_eq!(
            mongo_class("db.users.deleteMany({active: false})"),
            DataClass::Write
        );
        assert_eq!(
            mongo_class("db.users.updateOne({a: 1}, {$set: {b: 2}})"),
            DataClass::Write
        );
        assert_eq!(
            mongo_class("db.users.find({a: 1}).count()"),
            DataClass::Read
        );
    }

    #[test]
    fn redis_commands_are_classed() {
        assert_eq!(redis_class("flushall"), DataClass::Destroy);
        assert_eq!(redis_class("SET"), DataClass::Write);
        assert_eq!(redis_class("del"), DataClass::Write);
        assert_eq!(redis_class("GET"), DataClass::Read);
    }

    #[test]
    fn uri_hosts() {
        assert_eq!(
            uri_host("mongodb://app:pw@db1.prod.x:27017,db2.prod.x/app?rs=a").as_deref(),
            Some("db1.prod.x")
        );
        assert_eq!(uri_host("redis://:pw@[::1]:6379/0").as_deref(), Some("::1"));
    }
}
