//! Neo4j's `cypher-shell` and what Cypher does to a graph
//! ([`cypher_class`]), which writ-core also applies to Cypher a query
//! tool sends.

use super::super::{Invocation, Outcome};
use super::{endpoint_host, login, stdin_files, stdin_text};
use crate::args::{self, Spec};
use crate::commands::sql::tokens::{self, Lexicon, Token};
use crate::{DataClass, DataCommand, Effect};

/// `cypher-shell [-a ADDRESS] [-u USER] [-p PASSWORD] [-d DB] [-f FILE]
/// [STATEMENT]`: the statement is the last operand, else the file, else
/// standard input; with none it is an interactive shell. The address
/// defaults to `NEO4J_ADDRESS` (`NEO4J_URI`), the password to
/// `NEO4J_PASSWORD`.
pub(super) fn cypher_shell(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "aupdfP",
            long: &[
                "address",
                "uri",
                "username",
                "password",
                "database",
                "file",
                "param",
                "format",
                "encryption",
                "access-mode",
                "sample-rows",
                "driver-version",
                "impersonate",
                "history",
                "log",
                "idle-timeout",
                "error-format",
                "notifications",
                "change-password",
            ],
            stop_after: None,
        },
    );
    let address = args::value(&items, &["-a", "--address", "--uri"])
        .or_else(|| inv.env_value("NEO4J_ADDRESS"))
        .or_else(|| inv.env_value("NEO4J_URI"));
    let host = address.and_then(|a| endpoint_host(&a.text));
    let statement = args::positionals(&items)
        .last()
        .map(|s| s.text.clone())
        .or_else(|| stdin_text(inv));
    let mut files = stdin_files(inv);
    files.extend(
        args::values(&items, &["-f", "--file"])
            .iter()
            .map(|f| inv.path(&f.text)),
    );
    let class = match &statement {
        Some(text) => cypher_class(text),
        None => DataClass::Unknown,
    };
    let passwords = args::values(&items, &["-p", "--password"]);
    Outcome::default().effect(Effect::DataCommand(DataCommand {
        client: inv.program.to_owned(),
        host,
        command: statement,
        files,
        class,
        login: login(inv, &passwords, address, &["NEO4J_PASSWORD"]),
    }))
}

/// The clauses a Cypher statement starts with; another first word is
/// not known to be Cypher.
const CLAUSES: &[&str] = &[
    "MATCH",
    "OPTIONAL",
    "UNWIND",
    "WITH",
    "RETURN",
    "CALL",
    "CREATE",
    "MERGE",
    "DETACH",
    "NODETACH",
    "DELETE",
    "SET",
    "REMOVE",
    "FOREACH",
    "LOAD",
    "SHOW",
    "EXPLAIN",
    "PROFILE",
    "USE",
    "DROP",
    "ALTER",
    "GRANT",
    "DENY",
    "REVOKE",
    "START",
    "STOP",
    "RENAME",
    "TERMINATE",
    "FINISH",
];

/// Clauses that change the graph, its schema or its users.
const CHANGES: &[&str] = &[
    "CREATE", "MERGE", "SET", "REMOVE", "DELETE", "FOREACH", "LOAD", "ALTER", "GRANT", "DENY",
    "REVOKE", "RENAME", "START", "STOP", "DROP",
];

/// What Cypher does to a graph, its strongest statement: `DROP DATABASE`
/// destroys it, and a `DELETE` whose matches no `WHERE`, `LIMIT` or
/// property map narrows (`MATCH (n) DETACH DELETE n`, every node of a
/// label) empties it; `CREATE`, `MERGE`, `SET`, `REMOVE` and a narrowed
/// `DELETE` change it; `MATCH ... RETURN` and `SHOW` read. The queries a
/// procedure is given as text (`apoc.periodic.iterate`) count with it.
/// cypher-shell's own commands (`:use`, `:param`) read; a statement that
/// does not start as Cypher does is unknown.
pub fn cypher_class(text: &str) -> DataClass {
    super::strongest(
        statements(text)
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| statement_class(s)),
    )
}

fn statement_class(tokens: &[Token]) -> DataClass {
    let words: Vec<&str> = tokens
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some(w.as_str()),
            _ => None,
        })
        .collect();
    let Some(&first) = words.first() else {
        // A client command (`:param x => 1`).
        return DataClass::Read;
    };
    if tokens.first() == Some(&Token::Punct(':')) {
        return DataClass::Read;
    }
    if !CLAUSES.contains(&first) {
        return DataClass::Unknown;
    }
    let own = own_class(tokens, &words);
    if !words.contains(&"CALL") {
        return own;
    }
    // The queries handed to a procedure, read as one statement.
    let given: String = tokens
        .iter()
        .filter_map(|t| match t {
            Token::Text(text) => Some(text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ");
    let inner = statements(&given)
        .iter()
        .filter(|s| {
            s.iter()
                .any(|t| matches!(t, Token::Word(w) if CLAUSES.contains(&w.as_str())))
        })
        .map(|s| own_class(s, &words_of(s)))
        .collect::<Vec<_>>();
    super::strongest(std::iter::once(own).chain(inner))
}

fn words_of(tokens: &[Token]) -> Vec<&str> {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some(w.as_str()),
            _ => None,
        })
        .collect()
}

/// The class of one statement's own clauses.
fn own_class(tokens: &[Token], words: &[&str]) -> DataClass {
    let destroys_database = words
        .windows(2)
        .any(|w| w == ["DROP", "DATABASE"] || w == ["DROP", "COMPOSITE"]);
    if destroys_database {
        return DataClass::Destroy;
    }
    if words.contains(&"DELETE") {
        let narrowed =
            words.iter().any(|w| matches!(*w, "WHERE" | "LIMIT")) || has_property_map(tokens);
        return if narrowed {
            DataClass::Write
        } else {
            DataClass::Destroy
        };
    }
    if words.iter().any(|w| CHANGES.contains(w)) {
        DataClass::Write
    } else {
        DataClass::Read
    }
}

/// True when a node or relationship pattern carries a property map
/// (`(n:User {id: 7})`): a `{` inside parentheses or brackets.
fn has_property_map(tokens: &[Token]) -> bool {
    let mut depth = 0usize;
    tokens.iter().any(|t| match t {
        Token::Punct('(' | '[') => {
            depth += 1;
            false
        }
        Token::Punct(')' | ']') => {
            depth = depth.saturating_sub(1);
            false
        }
        Token::Punct('{') => depth > 0,
        _ => false,
    })
}

/// `text` split into statements at `;`, as tokens: strings (`'...'`,
/// `"..."`) as their text, backquoted names, parameters (`$x`) and
/// comments (`//`, `/* */`) left out.
fn statements(text: &str) -> Vec<Vec<Token>> {
    tokens::statements(
        text,
        &Lexicon {
            line_comments: &["//"],
            text_quotes: &['\'', '"'],
            punctuation: &['(', ')', '[', ']', '{', '}', ':'],
            digit_words: false,
            parameter: Some('$'),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cypher_is_classed_like_sql() {
        let cases = [
            ("MATCH (n) DETACH DELETE n;", DataClass::Destroy),
            ("MATCH (n:Session) DELETE n", DataClass::Destroy),
            (
                "MATCH (n) WHERE n.expired = true DETACH DELETE n",
                DataClass::Write,
            ),
            ("MATCH (u:User {id: $id}) DETACH DELETE u", DataClass::Write),
            (
                "MATCH (n) WITH n LIMIT 1000 DETACH DELETE n",
                DataClass::Write,
            ),
            (
                "MERGE (u:User {id: 1}) SET u.seen = timestamp()",
                DataClass::Write,
            ),
            ("MATCH (p:Product) RETURN p.name LIMIT 10", DataClass::Read),
            ("MATCH (n) RETURN 'DETACH DELETE n' AS s", DataClass::Read),
            ("SHOW DATABASES", DataClass::Read),
            ("DROP DATABASE recs IF EXISTS", DataClass::Destroy),
            ("DROP INDEX user_id", DataClass::Write),
            (":param id => 7", DataClass::Read),
            (
                "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {batchSize: 1000})",
                DataClass::Destroy,
            ),
            ("CALL db.labels()", DataClass::Read),
            ("SELECT 1", DataClass::Unknown),
        ];
        for (text, class) in cases {
            assert_eq!(cypher_class(text), class, "{text}");
        }
    }
}
