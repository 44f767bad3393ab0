//! Driver-prefixed data source names, as PHP's PDO and Perl's DBI take
//! them: `pgsql:host=H;port=5432;dbname=D`, `mysql:host=H;dbname=D`,
//! `sqlsrv:Server=H,1433;Database=D`, `oci:dbname=//H:1521/D`,
//! `sqlite:/path/app.db`; `dbi:Pg:dbname=D;host=H`, DBI's colon form
//! `DBI:mysql:D:H:3306`, `dbi:SQLite:dbname=app.db`. Each is read as the
//! server it reaches and a connection URI of its dialect
//! (`postgresql://H:5432/D`), or as the local database file it opens.

use super::Literal;
use super::storage::{is_ident, literal_at, matching};

/// How many parts a concatenated URI is read through.
const MAX_PARTS: usize = 16;

/// The connection URI the code builds by concatenation from `literal`
/// (`'postgresql://u:' + os.environ['PW'] + '@h/db'`, Perl's and PHP's
/// `"mysql://u:" . $pw . "@h/db"`): the texts of its literals joined,
/// each other part as `{}`. `None` when `literal` starts no database URI,
/// nothing is joined to it, or the host is not written out (`'pg://u@' +
/// host`): the URI is then read as its literals say.
pub(super) fn concatenated(code: &str, literals: &[Literal], literal: &Literal) -> Option<String> {
    let text = literal.text.as_str();
    if !text.contains("://") || text.starts_with("http") || literal.backtick {
        return None;
    }
    let mut joined = text.to_owned();
    let mut pos = literal.end;
    let mut parts = 0;
    while parts < MAX_PARTS {
        let Some(next) = operand_after(code, pos) else {
            break;
        };
        parts += 1;
        match literal_at(literals, next) {
            Some((_, part)) if !part.backtick => {
                joined.push_str(&part.text);
                pos = part.end;
            }
            _ => {
                joined.push_str("{}");
                pos = operand_end(code, literals, next);
            }
        }
    }
    let host = super::super::sql::uri_host(&joined)?;
    (parts > 0 && !host.contains(['{', '}'])).then_some(joined)
}

/// Where the operand of a concatenation after `pos` starts: after a `+`
/// (not `+=`, `++`) or a `.` that is no method call (Perl's and PHP's `.`,
/// followed by a space, `$` or a quote).
fn operand_after(code: &str, pos: usize) -> Option<usize> {
    let rest = code.get(pos..)?;
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let is_operator = match trimmed.as_bytes() {
        [b'+', next, ..] => !matches!(next, b'+' | b'='),
        [b'.', next, ..] => matches!(next, b' ' | b'$' | b'\'' | b'"'),
        _ => false,
    };
    if !is_operator {
        return None;
    }
    let after = trimmed.get(1..)?;
    let operand = after.trim_start_matches([' ', '\t']);
    Some(code.len() - operand.len())
}

/// Where the operand that starts at `start` ends: before the next `+` or
/// ` . ` outside brackets, or where its expression ends.
fn operand_end(code: &str, literals: &[Literal], start: usize) -> usize {
    let bytes = code.as_bytes();
    let mut pos = start;
    while let Some(&byte) = bytes.get(pos) {
        if let Some((_, literal)) = literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        match byte {
            b'(' | b'[' | b'{' => match matching(code, literals, pos) {
                Some(close) => pos = close + 1,
                None => return code.len(),
            },
            b'+' | b')' | b']' | b'}' | b',' | b';' | b'\n' => return pos,
            b'.' if !bytes
                .get(pos + 1)
                .is_some_and(|&next| is_ident(char::from(next))) =>
            {
                return pos;
            }
            _ => pos += 1,
        }
    }
    pos
}

/// What a driver DSN connects to.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Source {
    /// A server: its host and a `scheme://host[:port]/db` URI.
    Server { host: String, uri: String },
    /// A local database file, as written (SQLite's path).
    File(String),
    /// A driver's DSN without a host (a local socket, an in-memory
    /// database, an ODBC data source name).
    Local,
}

/// The URI scheme of a PDO or DBI driver name; `None` for a word that is
/// no database driver.
fn scheme(driver: &str) -> Option<&'static str> {
    Some(match driver.to_ascii_lowercase().as_str() {
        "pgsql" | "pg" | "pgpp" => "postgresql",
        "mysql" | "mariadb" | "mysqlpp" => "mysql",
        "sqlsrv" | "mssql" | "dblib" | "sybase" => "sqlserver",
        "oci" | "oracle" => "oracle",
        "sqlite" | "sqlite2" | "sqlite3" => "sqlite",
        "firebird" => "firebird",
        "ibm" | "db2" => "db2",
        "informix" => "informix",
        "cubrid" => "cubrid",
        "odbc" => "odbc",
        _ => return None,
    })
}

/// The server or file a driver DSN names; `None` for text that is no
/// driver DSN.
pub(super) fn source(text: &str) -> Option<Source> {
    let text = text.trim();
    let rest = match text.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("dbi:") => text.get(4..)?,
        _ => text,
    };
    let dbi = rest.len() != text.len();
    let (driver, params) = rest.split_once(':')?;
    if driver.is_empty() || !driver.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let scheme = scheme(driver)?;
    if params.starts_with("//") {
        // A URI already (`mysql://...`): the caller reads those.
        return None;
    }
    if scheme == "sqlite" {
        let path = params
            .split(';')
            .find_map(|kv| {
                let (k, v) = kv.split_once('=')?;
                matches!(
                    k.trim().to_ascii_lowercase().as_str(),
                    "dbname" | "database"
                )
                .then_some(v.trim())
            })
            .unwrap_or(params.trim());
        if path.is_empty() || path == ":memory:" || (!dbi && path.contains('=')) {
            return Some(Source::Local);
        }
        return Some(Source::File(path.to_owned()));
    }
    let mut host = None;
    let mut port = None;
    let mut db = None;
    if params.contains('=') {
        for kv in params.split(';') {
            let Some((key, value)) = kv.split_once('=') else {
                continue;
            };
            let value = value.trim();
            match key.trim().to_ascii_lowercase().as_str() {
                "host" | "hostname" | "server" | "data source" => {
                    host = host.or(Some(value.to_owned()));
                }
                "port" => port = port.or(Some(value.to_owned())),
                "dbname" | "database" | "db" => db = db.or(Some(value.to_owned())),
                _ => {}
            }
        }
    } else if dbi {
        // DBI's `DBI:mysql:DB:HOST:PORT`.
        let mut parts = params.split(':');
        db = parts.next().map(str::to_owned);
        host = parts.next().map(str::to_owned);
        port = parts.next().map(str::to_owned);
    } else {
        return None;
    }
    // Oracle's `dbname=//H:1521/SERVICE`, Firebird's `dbname=H:/path`.
    if host.is_none()
        && let Some(name) = db.clone()
    {
        if let Some(easy) = name.strip_prefix("//") {
            let (authority, service) = easy.split_once('/').unwrap_or((easy, ""));
            host = Some(authority.to_owned());
            db = Some(service.to_owned());
        } else if scheme == "firebird"
            && let Some((h, path)) = name.split_once(':')
            && !h.is_empty()
            && !h.contains(['/', '\\'])
            && h.len() > 1
        {
            host = Some(h.to_owned());
            db = Some(path.to_owned());
        }
    }
    // `Server=tcp:H,1433`, `host=H:PORT`.
    let Some(host) = host.filter(|h| !h.is_empty()) else {
        return Some(Source::Local);
    };
    let host = host.strip_prefix("tcp:").unwrap_or(&host);
    let (host, inline_port) = match host.split_once(',') {
        Some((h, p)) => (h, Some(p)),
        None => match host.rsplit_once(':') {
            Some((h, p)) if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => (h, Some(p)),
            _ => (host, None),
        },
    };
    let host = host.trim();
    if host.is_empty() || host.starts_with('/') {
        return Some(Source::Local);
    }
    let port = port.as_deref().or(inline_port).map(str::trim);
    let authority = match port.filter(|p| !p.is_empty()) {
        Some(p) => format!("{host}:{p}"),
        None => host.to_owned(),
    };
    let uri = format!("{scheme}://{authority}/{}", db.unwrap_or_default());
    Some(Source::Server {
        host: host.to_owned(),
        uri,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(text: &str) -> Option<(String, String)> {
        match source(text)? {
            Source::Server { host, uri } => Some((host, uri)),
            _ => None,
        }
    }

    fn joined(code: &str) -> Option<String> {
        let literals = crate::commands::inline::literals(code);
        let first = literals.first()?;
        concatenated(code, &literals, first)
    }

    #[test]
    fn concatenated_uris_are_joined() {
        assert_eq!(
            joined("c('postgresql://u:' + os.environ['PW'] + '@h.x/db')").as_deref(),
            Some("postgresql://u:{}@h.x/db")
        );
        assert_eq!(
            joined("$d = \"mysql://u:\" . $pw . \"@h.x/db\";").as_deref(),
            Some("mysql://u:{}@h.x/db")
        );
        assert_eq!(joined("c('postgresql://u@' + host + '/db')"), None);
        assert_eq!(joined("c('postgresql://u@h.x/db')"), None);
        assert_eq!(joined("c('postgresql://u@h.x/{}'.format(db))"), None);
    }

    #[test]
    fn pdo_and_dbi_names_are_read() {
        assert_eq!(
            server("pgsql:host=db.x;port=5432;dbname=app"),
            Some(("db.x".to_owned(), "postgresql://db.x:5432/app".to_owned()))
        );
        assert_eq!(
            server("sqlsrv:Server=tcp:db.x,1433;Database=app"),
            Some(("db.x".to_owned(), "sqlserver://db.x:1433/app".to_owned()))
        );
        assert_eq!(
            server("DBI:mysql:app:db.x:3306"),
            Some(("db.x".to_owned(), "mysql://db.x:3306/app".to_owned()))
        );
        assert_eq!(
            server("dbi:Pg:dbname=app;host=db.x"),
            Some(("db.x".to_owned(), "postgresql://db.x/app".to_owned()))
        );
        assert_eq!(
            server("oci:dbname=//db.x:1521/ORCL"),
            Some(("db.x".to_owned(), "oracle://db.x:1521/ORCL".to_owned()))
        );
        assert_eq!(
            source("sqlite:/srv/app.db"),
            Some(Source::File("/srv/app.db".to_owned()))
        );
        assert_eq!(
            source("dbi:SQLite:dbname=app.db"),
            Some(Source::File("app.db".to_owned()))
        );
        assert_eq!(source("sqlite::memory:"), Some(Source::Local));
        assert_eq!(
            source("mysql:unix_socket=/tmp/m.sock;dbname=app"),
            Some(Source::Local)
        );
        assert_eq!(source("note:host=x"), None);
        assert_eq!(source("mysql://db.x/app"), None);
        assert_eq!(source("https:x"), None);
    }
}
