//! Driver-prefixed data source names, as PHP's PDO and Perl's DBI take
//! them: `pgsql:host=H;port=5432;dbname=D`, `mysql:host=H;dbname=D`,
//! `sqlsrv:Server=H,1433;Database=D`, `oci:dbname=//H:1521/D`,
//! `sqlite:/path/app.db`; `dbi:Pg:dbname=D;host=H`, DBI's colon form
//! `DBI:mysql:D:H:3306`, `dbi:SQLite:dbname=app.db`. Each is read as the
//! server it reaches and a connection URI of its dialect
//! (`postgresql://H:5432/D`), or as the local database file it opens.

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
