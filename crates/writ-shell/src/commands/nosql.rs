//! Database clients that do not speak SQL, each reporting a
//! [`DataCommand`] classified as what it does to the data, as SQL is:
//! a read, a change, or the destruction of a database, collection,
//! bucket or keyspace. MongoDB's shells and tools (`mongo.rs`, their
//! JavaScript read by `js.rs`), `redis-cli` (`redis.rs`), the InfluxDB CLI
//! (`influx.rs`), `etcdctl` (`etcd.rs`), Neo4j's `cypher-shell`
//! (`cypher.rs`) and ArangoDB's shell and tools (`arango.rs`). A
//! script file written earlier is classed by the code it holds
//! ([`written_scripts`]).

mod arango;
mod cypher;
mod etcd;
mod influx;
mod js;
mod mongo;
mod redis;

pub use cypher::cypher_class;

use super::sql::Lookup;
use super::{Invocation, Outcome};
use crate::args::Arg;
use crate::{DataClass, Effect, Payload, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "mongosh" | "mongo" | "mongoimport" | "mongorestore" | "mongodump" | "mongoexport" => {
            Some(mongo::handle(inv))
        }
        "redis-cli" | "valkey-cli" | "keydb-cli" => Some(redis::redis(inv)),
        "influx" => Some(influx::handle(inv)),
        "etcdctl" => Some(etcd::handle(inv)),
        "cypher-shell" => Some(cypher::cypher_shell(inv)),
        "arangosh" | "arangoimport" | "arangorestore" | "arangodump" | "arangoexport" => {
            Some(arango::handle(inv))
        }
        _ => None,
    }
}

/// The language of the code a client runs from its script files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Code {
    /// The MongoDB shell's JavaScript.
    Mongo,
    /// arangosh's JavaScript.
    Arango,
    Cypher,
}

impl Code {
    /// The language of `client`'s scripts; `None` for a client whose files
    /// are data (an import's rows, a restore's dump).
    fn of_client(client: &str) -> Option<Code> {
        match client {
            "mongosh" | "mongo" => Some(Code::Mongo),
            "arangosh" => Some(Code::Arango),
            "cypher-shell" => Some(Code::Cypher),
            _ => None,
        }
    }

    fn class(self, text: &str) -> DataClass {
        match self {
            Code::Mongo => js::class(text, js::Shell::Mongo),
            Code::Arango => js::class(text, js::Shell::Arango),
            Code::Cypher => cypher_class(text),
        }
    }
}

/// A shell's script files whose text is known (`mongosh --file F`,
/// `arangosh --javascript.execute F`, `cypher-shell -f F`, or the file on
/// standard input, written earlier on the line or by an earlier step):
/// the command is the code they hold, classed with what the line gave it.
/// While one of them is not known the class stays unknown.
pub(crate) fn written_scripts(outcome: &mut Outcome, text_of: &Lookup<'_>) {
    for effect in &mut outcome.effects {
        let Effect::DataCommand(command) = effect else {
            continue;
        };
        let Some(code) = Code::of_client(&command.client) else {
            continue;
        };
        if command.files.is_empty() {
            continue;
        }
        let scripts: Vec<Option<String>> = command.files.iter().map(|f| text_of(f)).collect();
        let known: Vec<&String> = scripts.iter().flatten().collect();
        if known.is_empty() {
            continue;
        }
        let given = command.command.iter().map(|text| code.class(text));
        let held = known.iter().map(|text| code.class(text));
        let unknown = (known.len() < scripts.len()).then_some(DataClass::Unknown);
        command.class = strongest(given.chain(held).chain(unknown));
        let mut texts: Vec<String> = command.command.iter().cloned().collect();
        texts.extend(known.into_iter().cloned());
        command.command = Some(texts.join("\n"));
    }
}

/// The files standard input brings to a client (`< f`, `cat f |`).
fn stdin_files(inv: &Invocation<'_>) -> Vec<String> {
    if !inv.has_stdin {
        return Vec::new();
    }
    inv.stdin.files.iter().map(|f| f.path.clone()).collect()
}

/// The text standard input brings to a client, when it brings some.
fn stdin_text(inv: &Invocation<'_>) -> Option<String> {
    (inv.has_stdin && !inv.stdin.text.is_empty()).then(|| inv.stdin.text.join("\n"))
}

fn strength(class: DataClass) -> u8 {
    match class {
        DataClass::Read => 0,
        DataClass::Write => 1,
        DataClass::Unknown => 2,
        DataClass::Destroy => 3,
    }
}

/// The strongest of `classes`; a read when there are none.
fn strongest(classes: impl IntoIterator<Item = DataClass>) -> DataClass {
    classes
        .into_iter()
        .max_by_key(|c| strength(*c))
        .unwrap_or(DataClass::Read)
}

/// The password of a `scheme://[user]:PASSWORD@host` URI.
fn uri_password(uri: &str) -> Option<String> {
    let (_, rest) = uri.split_once("://")?;
    let authority = rest.split(['/', '?']).next()?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    (!password.is_empty()).then(|| password.to_owned())
}

/// What a client logs in with: its password options' values, the
/// password of its connection URI (with what that word expands to:
/// `mongodb://u:${PW}@h` sends `$PW`), and the variables of `variables`
/// the line sets for it.
fn login(
    inv: &Invocation<'_>,
    passwords: &[&Arg],
    uri: Option<&Arg>,
    variables: &[&str],
) -> Payload {
    let mut login = Payload::default();
    let set = variables.iter().filter_map(|name| inv.env_value(name));
    for value in passwords.iter().copied().chain(set) {
        flow::merge(&mut login, &value.payload());
    }
    if let Some(uri) = uri
        && let Some(password) = uri_password(&uri.text)
    {
        flow::merge(&mut login, &uri.with_text(&password).payload());
    }
    login
}

/// The server of an endpoint written as a URI (`https://h:8086`,
/// `ssl://h:8529`, `neo4j+s://h`) or as `host[:port]`; none for a Unix
/// socket.
fn endpoint_host(text: &str) -> Option<String> {
    let text = text.trim();
    if text.starts_with("unix:") || text.starts_with('/') {
        return None;
    }
    if text.contains("://") {
        return super::sql::uri_host(text);
    }
    let host = super::sql::strip_port(text.split('/').next().unwrap_or_default());
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_name_their_server() {
        assert_eq!(
            endpoint_host("https://influx.x:8086").as_deref(),
            Some("influx.x")
        );
        assert_eq!(endpoint_host("ssl://a.x:8529").as_deref(), Some("a.x"));
        assert_eq!(endpoint_host("etcd-0.x:2379").as_deref(), Some("etcd-0.x"));
        assert_eq!(endpoint_host("unix:///tmp/arangodb.sock"), None);
        assert_eq!(
            uri_password("mongodb+srv://u:p%40ss@c.x/db").as_deref(),
            Some("p%40ss")
        );
    }
}
