//! What a SQL text does, by its statements' leading keywords.

/// The strongest thing a SQL text does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SqlClass {
    /// Only reads (`SELECT`, `SHOW`, `EXPLAIN`, ...).
    Read,
    /// Changes data or schema (`INSERT`, `UPDATE`, `DELETE ... WHERE`, `ALTER`, `CREATE`, ...).
    Write,
    /// Statements writ cannot classify.
    Unknown,
    /// Irreversible destruction: `DROP DATABASE|SCHEMA|TABLE`, `TRUNCATE`, `DELETE` without `WHERE`.
    Destroy,
}

/// Classifies `sql`: comments and quoted strings are ignored, keywords are
/// matched without regard to case, the strongest statement wins.
pub fn classify_sql(sql: &str) -> SqlClass {
    let cleaned = strip_comments_and_strings(sql);
    let mut class = SqlClass::Read;
    for statement in cleaned.split(';') {
        // psql meta-commands (`\dt`, `\d users`) only describe.
        if statement.trim_start().starts_with('\\') {
            continue;
        }
        let words: Vec<String> = statement
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_uppercase)
            .collect();
        let Some(first) = words.first() else { continue };
        let second = words.get(1).map(String::as_str);
        let this = match first.as_str() {
            "SELECT" | "SHOW" | "EXPLAIN" | "DESCRIBE" | "DESC" | "WITH" | "VALUES" | "BEGIN"
            | "COMMIT" | "ROLLBACK" | "SET" | "USE" | "START" | "PRAGMA" => {
                if first == "WITH"
                    && words
                        .iter()
                        .any(|w| matches!(w.as_str(), "INSERT" | "UPDATE" | "DELETE"))
                {
                    SqlClass::Write
                } else {
                    SqlClass::Read
                }
            }
            "TRUNCATE" => SqlClass::Destroy,
            "DROP" => match second {
                Some("DATABASE" | "SCHEMA" | "TABLE") => SqlClass::Destroy,
                _ => SqlClass::Write,
            },
            "DELETE" => {
                if words.iter().any(|w| w == "WHERE") {
                    SqlClass::Write
                } else {
                    SqlClass::Destroy
                }
            }
            "INSERT" | "UPDATE" | "ALTER" | "CREATE" | "MERGE" | "UPSERT" | "REPLACE" | "GRANT"
            | "REVOKE" | "COPY" | "RENAME" | "COMMENT" | "VACUUM" | "REINDEX" | "CLUSTER"
            | "CALL" | "DO" | "EXEC" | "EXECUTE" => SqlClass::Write,
            _ => SqlClass::Unknown,
        };
        class = class.max(this);
    }
    class
}

/// Replaces quoted strings with spaces and removes `--` and `/* */` comments.
fn strip_comments_and_strings(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' => {
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                }
                out.push(' ');
            }
            '-' if chars.peek() == Some(&'-') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
                out.push(' ');
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for d in chars.by_ref() {
                    if prev == '*' && d == '/' {
                        break;
                    }
                    prev = d;
                }
                out.push(' ');
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sql: &str, expected: SqlClass) {
        assert_eq!(classify_sql(sql), expected, "{sql}");
    }

    #[test]
    fn classifies_statements() {
        check("select * from users", SqlClass::Read);
        check("DROP TABLE users", SqlClass::Destroy);
        check("drop database shop;", SqlClass::Destroy);
        check("TRUNCATE orders", SqlClass::Destroy);
        check("DELETE FROM users", SqlClass::Destroy);
        check("DELETE FROM users WHERE id = 4", SqlClass::Write);
        check("delete from users -- where id = 4", SqlClass::Destroy);
        check("DELETE FROM t WHERE note = 'x'", SqlClass::Write);
        check("SELECT 'DROP TABLE x'", SqlClass::Read);
        check(
            "UPDATE users SET plan = 'pro' WHERE id = 1",
            SqlClass::Write,
        );
        check("ALTER TABLE users ADD COLUMN x int", SqlClass::Write);
        check("DROP INDEX idx", SqlClass::Write);
        check("BEGIN; SELECT 1; DROP TABLE x; COMMIT;", SqlClass::Destroy);
        check("frobnicate", SqlClass::Unknown);
        check("\\dt", SqlClass::Read);
    }
}
