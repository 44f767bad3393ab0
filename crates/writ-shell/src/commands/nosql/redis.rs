//! `redis-cli` and its forks (`valkey-cli`, `keydb-cli`): the command on
//! the line, piped in or run by a mode, classed as what it does.

use super::super::sql::uri_host;
use super::super::{Invocation, Outcome};
use super::{stdin_files, strongest, uri_password};
use crate::args::{self, Spec};
use crate::{DataClass, DataCommand, Effect, Payload, flow};

/// `redis-cli [-h HOST] [-p PORT] [-u URI] [-a PASSWORD | --pass PASSWORD]
/// [-n DB] COMMAND ARGS...`; no command: an interactive session (or
/// commands on standard input, `--pipe`'s protocol stream among them).
/// What the command's arguments carry goes to the server with it
/// (`SET k "$(cat .env)"` sends `.env`), as does the password (`-a`,
/// `--pass`, `-u redis://:PASSWORD@host`, `REDISCLI_AUTH`) and the Lua
/// script of `--eval FILE`, which runs there. `--rdb FILE` and
/// `--functions-rdb FILE` write the server's dump here.
pub(super) fn redis(inv: &Invocation<'_>) -> Outcome {
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
            let class = strongest(
                piped
                    .lines()
                    .map(|line| redis_class(line.split_whitespace().next().unwrap_or_default())),
            );
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
    fn redis_commands_are_classed() {
        assert_eq!(redis_class("flushall"), DataClass::Destroy);
        assert_eq!(redis_class("SET"), DataClass::Write);
        assert_eq!(redis_class("del"), DataClass::Write);
        assert_eq!(redis_class("GET"), DataClass::Read);
    }
}
