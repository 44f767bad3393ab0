//! Which SQL dialect a text is written in, as far as it changes what the
//! text says: the comments and string escapes that differ between
//! databases, so that text one database ignores is not read as a
//! statement, nor a statement it runs read as a comment.

use serde::Serialize;

/// The SQL dialect a database speaks, known from its client or its
/// connection string.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// MySQL, MariaDB and the servers that speak their protocol: `#` starts
    /// a comment to the end of its line, MySQL runs the code of a `/*!
    /// ... */` comment, and a backslash escapes a quote in a string.
    MySql,
    /// ClickHouse and BigQuery: `#` starts a comment, a backslash escapes.
    HashComments,
    /// Snowflake: `//` starts a comment, a backslash escapes.
    Snowflake,
    /// PostgreSQL, SQL Server, SQLite, DuckDB, Trino, ...: `#` is an
    /// operator (PostgreSQL's XOR, `#>`, `#>>`) or part of a name (SQL
    /// Server's `#temp`), and only `--` and `/* */` are comments.
    Standard,
    /// Not known. A text is read in every way a dialect could read it
    /// and counts as the strongest of those readings: were `#` read as a
    /// comment everywhere, `SELECT 1 # 1; DROP TABLE x` would hide a
    /// `DROP` from PostgreSQL; were it read as an operator everywhere,
    /// `DELETE FROM t # WHERE id = 5` would hide from MySQL that it
    /// deletes every row.
    #[default]
    Unknown,
}

/// SQL clients by program name, and the dialect they speak.
const CLIENTS: &[(&str, Dialect)] = &[
    ("mysql", Dialect::MySql),
    ("mariadb", Dialect::MySql),
    ("mycli", Dialect::MySql),
    ("mysqlsh", Dialect::MySql),
    ("mysqladmin", Dialect::MySql),
    ("clickhouse", Dialect::HashComments),
    ("clickhouse-client", Dialect::HashComments),
    ("clickhouse-local", Dialect::HashComments),
    ("bq", Dialect::HashComments),
    ("snowsql", Dialect::Snowflake),
    ("snow", Dialect::Snowflake),
    ("psql", Dialect::Standard),
    ("pgcli", Dialect::Standard),
    ("dropdb", Dialect::Standard),
    ("cockroach", Dialect::Standard),
    ("sqlite3", Dialect::Standard),
    ("sqlite", Dialect::Standard),
    ("duckdb", Dialect::Standard),
    ("sqlcmd", Dialect::Standard),
    ("invoke-sqlcmd", Dialect::Standard),
    ("trino", Dialect::Standard),
    ("presto", Dialect::Standard),
];

/// Connection URI schemes (before any `+driver`), and their dialects.
const SCHEMES: &[(&str, Dialect)] = &[
    ("mysql", Dialect::MySql),
    ("mysqlx", Dialect::MySql),
    ("mysql2", Dialect::MySql),
    ("mariadb", Dialect::MySql),
    ("clickhouse", Dialect::HashComments),
    ("bigquery", Dialect::HashComments),
    ("snowflake", Dialect::Snowflake),
    ("postgres", Dialect::Standard),
    ("postgresql", Dialect::Standard),
    ("pgsql", Dialect::Standard),
    ("cockroachdb", Dialect::Standard),
    ("redshift", Dialect::Standard),
    ("sqlserver", Dialect::Standard),
    ("mssql", Dialect::Standard),
    ("sqlite", Dialect::Standard),
    ("duckdb", Dialect::Standard),
    ("trino", Dialect::Standard),
    ("presto", Dialect::Standard),
];

/// Servers' well-known ports, for a `host:port` without a scheme.
const PORTS: &[(&str, Dialect)] = &[
    ("3306", Dialect::MySql),
    ("5432", Dialect::Standard),
    ("1433", Dialect::Standard),
];

impl Dialect {
    /// The dialect of a SQL client (`mysql`, `psql`, `clickhouse`, ...).
    pub fn of_client(program: &str) -> Self {
        CLIENTS
            .iter()
            .find(|(name, _)| program.eq_ignore_ascii_case(name))
            .map_or(Self::Unknown, |(_, dialect)| *dialect)
    }

    /// The dialect of a connection string: its URI scheme (`mysql://`,
    /// `mysql+pymysql://`, `jdbc:mariadb://`), or the well-known port of a
    /// `host:port`.
    pub fn of_dsn(dsn: &str) -> Self {
        let dsn = dsn.trim();
        let dsn = dsn
            .get(..5)
            .filter(|p| p.eq_ignore_ascii_case("jdbc:"))
            .map_or(dsn, |_| dsn.get(5..).unwrap_or_default());
        if let Some((scheme, _)) = dsn.split_once("://") {
            let base = scheme.split('+').next().unwrap_or_default();
            return SCHEMES
                .iter()
                .find(|(name, _)| base.eq_ignore_ascii_case(name))
                .map_or(Self::Unknown, |(_, dialect)| *dialect);
        }
        let port = dsn
            .rsplit_once(':')
            .map(|(_, port)| port.split(['/', '?']).next().unwrap_or_default());
        PORTS
            .iter()
            .find(|(known, _)| port == Some(*known))
            .map_or(Self::Unknown, |(_, dialect)| *dialect)
    }

    /// The dialect a connection string names, else this one.
    pub fn or_dsn(self, dsn: Option<&str>) -> Self {
        match dsn.map(Self::of_dsn) {
            Some(Self::Unknown) | None => self,
            Some(known) => known,
        }
    }

    /// The ways `sql` is read: one for a known dialect; for an unknown
    /// one, the standard reading and each dialect's that could differ
    /// from it for this text.
    pub(super) fn readings(self, sql: &str) -> Vec<Lexicon> {
        match self {
            Self::MySql => vec![Lexicon::MYSQL],
            Self::HashComments => vec![Lexicon::HASH],
            Self::Snowflake => vec![Lexicon::SNOWFLAKE],
            Self::Standard => vec![Lexicon::STANDARD],
            Self::Unknown => {
                let mut readings = vec![Lexicon::STANDARD];
                if sql.contains(['#', '\\']) || sql.contains("/*!") {
                    readings.push(Lexicon::MYSQL);
                }
                if sql.contains('\\') || sql.contains("//") {
                    readings.push(Lexicon::SNOWFLAKE);
                }
                readings
            }
        }
    }
}

/// What in a dialect's text is not the standard's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Lexicon {
    /// `#` starts a comment to the end of its line.
    pub hash_comments: bool,
    /// `//` starts a comment to the end of its line.
    pub slash_comments: bool,
    /// `/*! ... */` holds code the server runs (MySQL's versioned comments).
    pub executable_comments: bool,
    /// A backslash in a string escapes the character after it.
    pub backslash_escapes: bool,
}

impl Lexicon {
    pub const STANDARD: Self = Self {
        hash_comments: false,
        slash_comments: false,
        executable_comments: false,
        backslash_escapes: false,
    };
    const MYSQL: Self = Self {
        hash_comments: true,
        executable_comments: true,
        backslash_escapes: true,
        ..Self::STANDARD
    };
    const HASH: Self = Self {
        hash_comments: true,
        backslash_escapes: true,
        ..Self::STANDARD
    };
    const SNOWFLAKE: Self = Self {
        slash_comments: true,
        backslash_escapes: true,
        ..Self::STANDARD
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialects_from_clients_and_connection_strings() {
        assert_eq!(Dialect::of_client("mariadb"), Dialect::MySql);
        assert_eq!(Dialect::of_client("psql"), Dialect::Standard);
        assert_eq!(Dialect::of_client("python3"), Dialect::Unknown);
        for dsn in [
            "mysql://u@db.x/app",
            "mysql+pymysql://u:p@db.x/app",
            "jdbc:mariadb://db.x:3306/app",
            "db.x:3306",
        ] {
            assert_eq!(Dialect::of_dsn(dsn), Dialect::MySql, "{dsn}");
        }
        assert_eq!(Dialect::of_dsn("postgresql://db.x/app"), Dialect::Standard);
        assert_eq!(Dialect::of_dsn("snowflake://acct/db"), Dialect::Snowflake);
        assert_eq!(Dialect::of_dsn("db.x"), Dialect::Unknown);
        assert_eq!(Dialect::of_dsn("host=db.x dbname=app"), Dialect::Unknown);
        assert_eq!(
            Dialect::Standard.or_dsn(Some("mysql://db.x/app")),
            Dialect::MySql
        );
        assert_eq!(Dialect::MySql.or_dsn(Some("db.x")), Dialect::MySql);
    }
}
