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
        let tokens = tokens(statement);
        let words: Vec<&str> = tokens
            .iter()
            .map(String::as_str)
            .filter(|t| !matches!(*t, "(" | ")"))
            .collect();
        let Some(&first) = words.first() else {
            continue;
        };
        let second = words.get(1).copied();
        let this = match first {
            "SELECT" | "SHOW" | "EXPLAIN" | "DESCRIBE" | "DESC" | "WITH" | "VALUES" | "BEGIN"
            | "COMMIT" | "ROLLBACK" | "SET" | "USE" | "START" | "PRAGMA" => {
                // A common table expression may hold, or lead into, a write.
                if first == "WITH" && any_delete_without_where(&tokens) {
                    SqlClass::Destroy
                } else if first == "WITH"
                    && words
                        .iter()
                        .any(|w| matches!(*w, "INSERT" | "UPDATE" | "DELETE" | "MERGE"))
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
                if any_delete_without_where(&tokens) {
                    SqlClass::Destroy
                } else {
                    SqlClass::Write
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

/// True when a statement of `sql` grants or changes access: `GRANT`,
/// `REVOKE`, `CREATE|ALTER ROLE|USER|GROUP`, `ALTER DEFAULT PRIVILEGES`.
pub fn changes_access(sql: &str) -> bool {
    strip_comments_and_strings(sql).split(';').any(|statement| {
        let words = tokens(statement);
        match words.as_slice() {
            [first, ..] if first == "GRANT" || first == "REVOKE" => true,
            [verb, noun, ..] => {
                matches!(verb.as_str(), "CREATE" | "ALTER")
                    && matches!(noun.as_str(), "ROLE" | "USER" | "GROUP")
                    || (verb == "ALTER" && noun == "DEFAULT")
            }
            _ => false,
        }
    })
}

/// The statement's words, upper-cased, and its parentheses, in order.
fn tokens(statement: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in statement.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c.to_ascii_uppercase());
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if c == '(' || c == ')' {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// True when some `DELETE` in `tokens` has no `WHERE` of its own: none at
/// its own level of parentheses before that level closes (`WITH gone AS
/// (DELETE FROM t RETURNING id) SELECT ...` deletes every row; a `WHERE`
/// inside a subquery of it, or in a CTE before it, is not its own).
fn any_delete_without_where(tokens: &[String]) -> bool {
    tokens.iter().enumerate().any(|(at, token)| {
        if token != "DELETE" {
            return false;
        }
        let mut depth = 0usize;
        for t in &tokens[at + 1..] {
            match t.as_str() {
                "(" => depth += 1,
                ")" if depth == 0 => return true,
                ")" => depth -= 1,
                "WHERE" if depth == 0 => return false,
                _ => {}
            }
        }
        true
    })
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
        // Common table expressions: the DELETE's own WHERE counts, not one
        // in another part of the statement.
        check(
            "with gone as (delete from claim_lines returning id) select count(*) from gone",
            SqlClass::Destroy,
        );
        check(
            "WITH old AS (SELECT id FROM visits WHERE at < now()) DELETE FROM visits",
            SqlClass::Destroy,
        );
        check(
            "WITH old AS (SELECT id FROM v) DELETE FROM visits WHERE id IN (SELECT id FROM old)",
            SqlClass::Write,
        );
        check(
            "WITH moved AS (DELETE FROM q WHERE done RETURNING *) INSERT INTO log SELECT * FROM moved",
            SqlClass::Write,
        );
        check(
            "DELETE FROM t USING (SELECT id FROM u WHERE bad) s",
            SqlClass::Destroy,
        );
        check("WITH x AS (SELECT 1) SELECT * FROM x", SqlClass::Read);
    }

    #[test]
    fn access_changes() {
        assert!(changes_access("GRANT SELECT ON claims TO analyst_ro"));
        assert!(changes_access("begin; revoke all on t from bob; commit"));
        assert!(changes_access("ALTER USER app WITH SUPERUSER"));
        assert!(changes_access("CREATE ROLE auditor LOGIN"));
        assert!(!changes_access("CREATE TABLE grants (id int)"));
        assert!(!changes_access("SELECT 'GRANT ALL' FROM t"));
    }
}
