//! JavaScript and TypeScript database clients, by the modules the code
//! imports (`import pg from 'pg'`, `import postgres from 'postgres'`,
//! `require('mysql2/promise')`, Deno's `npm:pg@8` and `jsr:@db/postgres`,
//! Bun's built-in `import { sql } from 'bun'` / `Bun.sql` / `new
//! Bun.SQL(url)`), and the server a client reaches when the code writes
//! none out: the environment variables it reads by convention (Bun's
//! `sql` reads `DATABASE_URL`, libpq-style clients `PGHOST`,
//! `@vercel/postgres` `POSTGRES_URL`) or by name (`process.env.DB_URL`),
//! with the values the command line gives them (`DATABASE_URL=... bun -e
//! CODE`).

use super::super::Invocation;

/// Database client modules: npm's name (without version or subpath) and
/// the environment variables it reads its connection from when given
/// none.
const MODULES: &[(&str, &[&str])] = &[
    ("pg", &["PGHOST"]),
    ("postgres", &["PGHOST"]),
    ("pg-promise", &["PGHOST"]),
    ("pg-native", &["PGHOST"]),
    ("slonik", &[]),
    ("@vercel/postgres", &["POSTGRES_URL"]),
    ("@neondatabase/serverless", &[]),
    ("@db/postgres", &["PGHOST"]),
    ("mysql", &[]),
    ("mysql2", &[]),
    ("mariadb", &[]),
    ("@planetscale/database", &[]),
    ("mssql", &[]),
    ("tedious", &[]),
    ("oracledb", &[]),
    ("knex", &[]),
];

/// Bun's SQL client reads the first of these it finds.
const BUN_SQL_ENV: &[&str] = &[
    "POSTGRES_URL",
    "DATABASE_URL",
    "PGURL",
    "PG_URL",
    "TLS_POSTGRES_DATABASE_URL",
    "TLS_DATABASE_URL",
    "PGHOST",
];

/// The modules the code imports: `import x from 'm'`, `import 'm'`,
/// `export ... from 'm'`, `import('m')`, `require('m')`; each as npm's
/// package name (`npm:pg@8` and `pg/lib/client` are `pg`; `jsr:@db/postgres@0.19`
/// is `@db/postgres`; a `deno.land/x/NAME` URL is `NAME`).
pub(super) fn imports(code: &str) -> Vec<String> {
    let mut modules = Vec::new();
    for marker in ["from", "import", "require"] {
        let mut rest = code;
        while let Some(at) = rest.find(marker) {
            let before = rest.get(..at).unwrap_or_default();
            let after = rest.get(at + marker.len()..).unwrap_or_default();
            rest = after;
            // A whole word (`from`, not `datafrom`).
            if before
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$')
            {
                continue;
            }
            let spec = after.trim_start();
            let spec = spec.strip_prefix('(').map(str::trim_start).unwrap_or(spec);
            let Some(quote) = spec
                .chars()
                .next()
                .filter(|c| matches!(c, '\'' | '"' | '`'))
            else {
                continue;
            };
            let Some(name) = spec.get(1..).and_then(|s| s.split(quote).next()) else {
                continue;
            };
            let package = package_of(name);
            if !package.is_empty() && !modules.iter().any(|m| m == package) {
                modules.push(package.to_owned());
            }
        }
    }
    modules
}

/// npm's package name of a module specifier.
fn package_of(spec: &str) -> &str {
    if let Some(at) = spec.find("deno.land/x/") {
        let rest = spec.get(at + "deno.land/x/".len()..).unwrap_or_default();
        let name = rest.split('/').next().unwrap_or_default();
        return name.split('@').next().unwrap_or_default();
    }
    let spec = ["npm:", "jsr:", "node:"]
        .iter()
        .find_map(|p| spec.strip_prefix(p))
        .unwrap_or(spec)
        .trim_start_matches('/');
    let mut parts = spec.splitn(3, '/');
    let first = parts.next().unwrap_or_default();
    let name = if first.starts_with('@') {
        let len = first.len() + 1 + parts.next().unwrap_or_default().len();
        spec.get(..len.min(spec.len())).unwrap_or_default()
    } else {
        first
    };
    // The version (`pg@8`, `@db/postgres@0.19`).
    match name.rfind('@') {
        Some(at) if at > 0 => name.get(..at).unwrap_or(name),
        _ => name,
    }
}

/// True when the code imports Bun's SQL client or uses it through `Bun`.
fn bun_sql(code: &str, modules: &[String]) -> bool {
    let imported = modules.iter().any(|m| m == "bun")
        && code
            .split(['{', '}', ',', ' ', ';', '\n'])
            .any(|word| matches!(word.trim(), "sql" | "SQL"));
    imported || code.contains("Bun.sql") || code.contains("Bun.SQL")
}

/// The environment variables the database client the code uses reads its
/// server from when the code names none; `None` when it uses no client
/// this knows.
pub(super) fn client_env(code: &str) -> Option<Vec<&'static str>> {
    let modules = imports(code);
    let mut names: Vec<&'static str> = Vec::new();
    let mut found = false;
    if bun_sql(code, &modules) {
        found = true;
        names.extend(BUN_SQL_ENV);
    }
    for (module, env) in MODULES {
        if modules.iter().any(|m| m == module) {
            found = true;
            for name in *env {
                if !names.contains(name) {
                    names.push(name);
                }
            }
        }
    }
    found.then_some(names)
}

/// The server (host, DSN) the command line's environment gives the
/// client: the first of `names` (the variables the code reads by name,
/// then the client's own) the line sets. A URL value is a DSN; a bare
/// value of a `*HOST` variable is the host.
pub(super) fn env_server(
    inv: &Invocation<'_>,
    names: &[String],
) -> Option<(String, Option<String>)> {
    names.iter().find_map(|name| {
        let value = inv.env_value(name)?.text.trim().to_owned();
        if value.is_empty() {
            return None;
        }
        if value.contains("://") {
            let host = super::super::sql::uri_host(&value)?;
            return Some((host, Some(value)));
        }
        if super::super::sql::is_conninfo(&value) {
            let host = super::super::sql::dsn_host(&value)?;
            return Some((host, Some(value)));
        }
        name.ends_with("HOST").then_some((value, None))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imported_packages() {
        assert_eq!(
            imports(
                "import pg from 'pg'; import { x } from \"@a/b/c\"; const m = require('mysql2/promise'); await import('npm:postgres@3')"
            ),
            ["pg", "@a/b", "postgres", "mysql2"]
        );
        assert_eq!(
            imports("import { Client } from 'https://deno.land/x/postgres@v0.17.0/mod.ts'"),
            ["postgres"]
        );
        assert_eq!(
            imports("const datafrom = 'x'; fromage('pg')"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn clients() {
        assert!(client_env("import { sql } from 'bun'; await sql`select 1`").is_some());
        assert!(client_env("const db = new Bun.SQL('postgres://h/d')").is_some());
        assert!(client_env("import { serve } from 'bun'").is_none());
        assert!(client_env("import pg from 'pg'").is_some());
        assert!(client_env("import fs from 'node:fs'").is_none());
    }
}
