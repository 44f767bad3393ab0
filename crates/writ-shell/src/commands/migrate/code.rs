//! Code migrations read as the SQL their operations run, so the SQL
//! reader classes them: a table dropped is `DROP TABLE t`, a column
//! removed is `ALTER TABLE t DROP COLUMN c`, and SQL run as it is
//! (`execute "..."`, `op.execute(...)`, `RunSQL(...)`, `knex.raw(...)`)
//! is that SQL. Only the part an up migration runs is read: Rails'
//! `up` and `change` methods, Alembic's `upgrade()`, Knex's `up`, and a
//! Django migration's operations (their reverse is not run). Liquibase's
//! XML changelogs are read the same way (their `<rollback>` left out).

/// A migration framework, by the code its migrations are written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Framework {
    /// `db/migrate/*.rb`: `drop_table :t`, `remove_column :t, :c`,
    /// `execute "..."` (or a heredoc).
    Rails,
    /// `versions/*.py`: `op.drop_table("t")`, `op.drop_column("t", "c")`,
    /// `op.execute("...")`, a batch's `drop_column("c")`.
    Alembic,
    /// `APP/migrations/*.py` of the app named: `migrations.DeleteModel`,
    /// `migrations.RemoveField`, `migrations.RunSQL` (tables are
    /// `APP_model`).
    Django(String),
    /// `migrations/*.js`: `knex.schema.dropTable('t')`,
    /// `table.dropColumn('c')` in `knex.schema.table('t', ...)`,
    /// `knex.raw('...')`.
    Knex,
}

/// The statements the up part of a migration in `framework` runs.
pub(super) fn statements(framework: &Framework, text: &str) -> Vec<String> {
    match framework {
        Framework::Rails => rails(&methods(text, &["up", "change"], ruby_method)),
        Framework::Alembic => alembic(&methods(text, &["upgrade"], python_function)),
        Framework::Django(app) => django(app, text),
        Framework::Knex => knex(knex_up(text)),
    }
}

/// A call in code: its position, what it is called on (`batch_op` in
/// `batch_op.drop_column(...)`, empty for a call on a call's result,
/// `None` for a plain function call) and its arguments.
#[derive(Debug)]
struct Call {
    at: usize,
    name: &'static str,
    receiver: Option<String>,
    args: Vec<Argument>,
}

/// An argument of a call: its keyword (`sql=`, `if_exists:`), and its
/// value when that is a literal (a string or a Ruby symbol).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Argument {
    key: Option<String>,
    value: Option<String>,
    /// Every string literal in it (`RunSQL(["A", "B"])`).
    strings: Vec<String>,
}

impl Call {
    /// The keyword argument `key`'s value, else the `index`th positional one's.
    fn arg(&self, index: usize, key: &str) -> Option<&str> {
        self.keyword(key).or_else(|| self.positional(index))
    }

    fn keyword(&self, key: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|a| a.key.as_deref() == Some(key))
            .and_then(|a| a.value.as_deref())
    }

    fn positional(&self, index: usize) -> Option<&str> {
        self.args
            .iter()
            .filter(|a| a.key.is_none())
            .nth(index)
            .and_then(|a| a.value.as_deref())
    }

    fn called_on(&self, name: &str) -> bool {
        self.receiver
            .as_deref()
            .is_some_and(|r| r == name || r.ends_with(&format!(".{name}")))
    }

    /// The string literals of the positional arguments from `index` on.
    fn positional_from(&self, index: usize) -> Vec<&str> {
        self.args
            .iter()
            .filter(|a| a.key.is_none())
            .skip(index)
            .filter_map(|a| a.value.as_deref())
            .collect()
    }
}

fn drop_table(table: &str) -> String {
    format!("DROP TABLE {table}")
}

fn drop_column(table: &str, column: &str) -> String {
    format!("ALTER TABLE {table} DROP COLUMN {column}")
}

// ---- Rails ----

fn rails(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let names = ["drop_table", "remove_column", "remove_columns", "execute"];
    for call in calls(text, &names) {
        match call.name {
            "drop_table" => out.extend(call.positional(0).map(drop_table)),
            "remove_column" => {
                if let (Some(t), Some(c)) = (call.positional(0), call.positional(1)) {
                    out.push(drop_column(t, c));
                }
            }
            "remove_columns" => {
                if let Some(table) = call.positional(0) {
                    out.extend(
                        call.positional_from(1)
                            .iter()
                            .map(|c| drop_column(table, c)),
                    );
                }
            }
            _ => {
                out.extend(heredoc(text, call.at).or_else(|| call.positional(0).map(str::to_owned)))
            }
        }
    }
    out
}

/// The body of a Ruby heredoc (`<<~SQL`, `<<-SQL`, `<<SQL`) a call at
/// `at` is given: the lines after its line up to the terminator.
fn heredoc(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?;
    let (line, after) = rest.split_once('\n')?;
    let open = line.find("<<")?;
    let marker = line.get(open + 2..)?.trim_start_matches(['~', '-']);
    let marker = marker.trim_start_matches(['\'', '"']);
    let name: String = marker
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if name.is_empty() {
        return None;
    }
    let body: Vec<&str> = after.lines().take_while(|l| l.trim() != name).collect();
    Some(body.join("\n").trim().to_owned())
}

/// A Ruby method's name from its `def` line (`def self.up` is `up`).
fn ruby_method(line: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix("def ")?;
    let rest = rest
        .trim_start()
        .strip_prefix("self.")
        .unwrap_or(rest.trim_start());
    Some(identifier(rest))
}

/// A top-level Python function's name (`def upgrade() -> None:`).
fn python_function(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("async def ")
        .or_else(|| line.strip_prefix("def "))?;
    Some(identifier(rest.trim_start()))
}

/// The lines of the methods named `wanted` (or named with one of them
/// first, `upgrade_engine1`), each method running up to the next `def`
/// line `method` reads.
fn methods(text: &str, wanted: &[&str], method: fn(&str) -> Option<String>) -> String {
    let mut inside = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        if let Some(name) = method(line) {
            inside = wanted
                .iter()
                .any(|w| name == *w || name.starts_with(&format!("{w}_")));
            continue;
        }
        // `reversible do |dir| dir.down { ... } end`: not the up part.
        if inside && !line.contains(".down") {
            lines.push(line);
        }
    }
    lines.join("\n")
}

// ---- Alembic ----

fn alembic(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut batch_table: Option<String> = None;
    let names = ["drop_table", "drop_column", "execute", "batch_alter_table"];
    for call in calls(text, &names) {
        let schema = call.keyword("schema");
        let qualify = |table: &str| match schema {
            Some(schema) => format!("{schema}.{table}"),
            None => table.to_owned(),
        };
        match call.name {
            "batch_alter_table" => batch_table = call.arg(0, "table_name").map(qualify),
            "drop_table" => out.extend(call.arg(0, "table_name").map(|t| drop_table(&qualify(t)))),
            // `op.drop_column("t", "c")`, or a batch's `drop_column("c")`.
            "drop_column" if call.called_on("op") => {
                if let (Some(t), Some(c)) = (call.arg(0, "table_name"), call.arg(1, "column_name"))
                {
                    out.push(drop_column(&qualify(t), c));
                }
            }
            "drop_column" => {
                if let (Some(t), Some(c)) = (&batch_table, call.arg(0, "column_name")) {
                    out.push(drop_column(t, c));
                }
            }
            _ => out.extend(call.arg(0, "sqltext").map(str::to_owned)),
        }
    }
    out
}

// ---- Django ----

fn django(app: &str, text: &str) -> Vec<String> {
    let table = |model: &str| format!("{app}_{}", model.to_ascii_lowercase());
    let mut out = Vec::new();
    for call in calls(text, &["DeleteModel", "RemoveField", "RunSQL"]) {
        match call.name {
            "DeleteModel" => out.extend(call.arg(0, "name").map(|m| drop_table(&table(m)))),
            "RemoveField" => {
                if let (Some(m), Some(f)) = (call.arg(0, "model_name"), call.arg(1, "name")) {
                    out.push(drop_column(&table(m), f));
                }
            }
            _ => {
                let sql = call
                    .args
                    .iter()
                    .find(|a| a.key.as_deref() == Some("sql"))
                    .or_else(|| call.args.iter().find(|a| a.key.is_none()));
                out.extend(sql.map(|a| a.strings.clone()).unwrap_or_default());
            }
        }
    }
    out
}

// ---- Knex ----

/// The part of a Knex migration its `up` runs: from `exports.up` (`up:`,
/// `function up`, `async up(`) to its `down`.
fn knex_up(text: &str) -> &str {
    let first = |markers: &[&str]| markers.iter().filter_map(|m| text.find(m)).min();
    let up = first(&[
        "exports.up",
        "function up",
        "async up(",
        " up(",
        "up:",
        "up =",
    ]);
    let down = first(&[
        "exports.down",
        "function down",
        "async down(",
        " down(",
        "down:",
        "down =",
    ]);
    match (up, down) {
        (Some(up), Some(down)) if down > up => text.get(up..down).unwrap_or_default(),
        (Some(up), _) => text.get(up..).unwrap_or_default(),
        (None, _) => "",
    }
}

fn knex(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut table: Option<String> = None;
    let names = [
        "dropTable",
        "dropTableIfExists",
        "table",
        "alterTable",
        "dropColumn",
        "dropColumns",
        "raw",
    ];
    for call in calls(text, &names) {
        match call.name {
            "dropTable" | "dropTableIfExists" => out.extend(call.positional(0).map(drop_table)),
            // `knex.schema.table('t', ...)`, or on a chain of its calls.
            "table" if !(call.called_on("schema") || call.receiver.as_deref() == Some("")) => {}
            "table" | "alterTable" => table = call.positional(0).map(str::to_owned),
            "dropColumn" | "dropColumns" => {
                if let Some(table) = &table {
                    out.extend(
                        call.positional_from(0)
                            .iter()
                            .map(|c| drop_column(table, c)),
                    );
                }
            }
            _ => out.extend(call.positional(0).map(str::to_owned)),
        }
    }
    out
}

// ---- Liquibase XML ----

/// The changes of an XML changelog, without its rollbacks:
/// `<dropTable tableName="t"/>`, `<dropColumn tableName="t"
/// columnName="c"/>`, `<sql>...</sql>`.
pub(super) fn liquibase_changes(text: &str) -> Vec<String> {
    let text = without_rollbacks(text);
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find('<') {
        rest = rest.get(open + 1..).unwrap_or_default();
        let tag_end = rest.find('>').unwrap_or(rest.len());
        let tag = rest.get(..tag_end).unwrap_or_default();
        let name = identifier(tag);
        match name.as_str() {
            "dropTable" => out.extend(attribute(tag, "tableName").map(|t| drop_table(&t))),
            "dropColumn" => {
                if let (Some(t), Some(c)) =
                    (attribute(tag, "tableName"), attribute(tag, "columnName"))
                {
                    out.push(drop_column(&t, &c));
                }
            }
            "sql" => {
                let body = rest.get(tag_end + 1..).unwrap_or_default();
                let body = body.split("</sql>").next().unwrap_or_default();
                let body = body
                    .trim()
                    .trim_start_matches("<![CDATA[")
                    .trim_end_matches("]]>");
                out.push(body.trim().to_owned());
            }
            _ => {}
        }
    }
    out
}

/// The files and directories a changelog includes: `("include", FILE)`,
/// `("includeAll", DIR)` and `("sqlFile", FILE)`, from XML attributes or
/// YAML or JSON keys.
pub(super) fn liquibase_includes(text: &str) -> Vec<(String, String)> {
    let text = without_rollbacks(text);
    let mut out = Vec::new();
    for (at, _) in text.match_indices("include") {
        let rest = text.get(at..).unwrap_or_default();
        let all = rest.starts_with("includeAll");
        let window: String = rest.chars().take(400).collect();
        let key = if all { "path" } else { "file" };
        if let Some(value) = setting(&window, key) {
            let kind = if all { "includeAll" } else { "include" };
            out.push((kind.to_owned(), value));
        }
    }
    for (at, _) in text.match_indices("sqlFile") {
        let window: String = text
            .get(at..)
            .unwrap_or_default()
            .chars()
            .take(400)
            .collect();
        if let Some(value) = setting(&window, "path") {
            out.push(("sqlFile".to_owned(), value));
        }
    }
    out
}

/// A changelog without its `<rollback>` blocks.
fn without_rollbacks(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find("<rollback") {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open..).unwrap_or_default();
        rest = match (after.find("</rollback>"), after.find("/>")) {
            (Some(close), _) => after.get(close + "</rollback>".len()..).unwrap_or_default(),
            (None, Some(close)) => after.get(close + 2..).unwrap_or_default(),
            (None, None) => "",
        };
    }
    out.push_str(rest);
    out
}

/// An XML attribute's value (`name="value"`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    setting(tag, name)
}

/// The first value of `key` in `text`: `key="v"`, `key: v`, `"key": "v"`.
fn setting(text: &str, key: &str) -> Option<String> {
    for (at, _) in text.match_indices(key) {
        let before = text.get(..at).and_then(|b| b.chars().last());
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = text.get(at + key.len()..).unwrap_or_default();
        let rest = rest.trim_start_matches('"').trim_start();
        let Some(rest) = rest.strip_prefix(['=', ':']) else {
            continue;
        };
        let rest = rest.trim_start();
        let value: String = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest.get(1..)?.chars().take_while(|c| *c != q).collect(),
            _ => rest
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '}' | '/' | '>'))
                .collect(),
        };
        if !value.is_empty() {
            return Some(value);
        }
    }
    None
}

// ---- calls and literals ----

/// The calls of the functions `names` in `text`, in order: a name not
/// part of a longer one, followed by `(` or (Ruby) a space and its
/// arguments.
fn calls(text: &str, names: &[&'static str]) -> Vec<Call> {
    let mut found = Vec::new();
    for name in names {
        for (at, _) in text.match_indices(name) {
            let before = text.get(..at).and_then(|b| b.chars().last());
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let rest = text.get(at + name.len()..).unwrap_or_default();
            if !rest.starts_with(['(', ' ', '\t']) {
                continue;
            }
            let receiver = match before {
                Some('.') => Some(receiver(text.get(..at - 1).unwrap_or_default())),
                _ => None,
            };
            found.push(Call {
                at,
                name,
                receiver,
                args: arguments(rest),
            });
        }
    }
    found.sort_by_key(|c| c.at);
    found
}

/// The dotted name that ends `text` (`knex.schema`).
fn receiver(text: &str) -> String {
    let name: String = text
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.'))
        .collect();
    name.chars().rev().collect()
}

fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The arguments of a call whose argument list starts `rest`: up to its
/// closing parenthesis, or without one (Ruby) to the end of the line.
fn arguments(rest: &str) -> Vec<Argument> {
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let (body, parenthesised) = match trimmed.strip_prefix('(') {
        Some(inner) => (inner, true),
        None => (trimmed, false),
    };
    let mut args = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in body.chars() {
        if let Some(q) = quote {
            current.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                args.push(argument(&current));
                current.clear();
                continue;
            }
            '\n' if !parenthesised && depth == 0 => break,
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        args.push(argument(&current));
    }
    args
}

/// One argument's keyword (`name=`, `name:`) and literal value.
fn argument(text: &str) -> Argument {
    let text = text.trim();
    let name = identifier(text);
    let after = text.get(name.len()..).unwrap_or_default();
    let keyword = !name.is_empty()
        && ((after.trim_start().starts_with('=') && !after.trim_start().starts_with("=="))
            || after.starts_with(": ")
            || after.starts_with(":\t"));
    let (key, value) = if keyword {
        let value = after.trim_start().get(1..).unwrap_or_default().trim_start();
        (Some(name), value)
    } else {
        (None, text)
    };
    Argument {
        key,
        value: literal(value),
        strings: strings(value),
    }
}

/// The value a literal argument starts with: a string (Python's triple
/// quoted and prefixed ones, `sa.text("...")`), a Ruby symbol.
fn literal(text: &str) -> Option<String> {
    let text = text.trim_start();
    if let Some(symbol) = text.strip_prefix(':') {
        let name = identifier(symbol);
        return (!name.is_empty()).then_some(name);
    }
    // `sa.text("...")`, `text("...")`: the string it wraps.
    if let Some(open) = text.find('(')
        && !text.starts_with(['"', '\'', '`'])
        && text.get(..open).is_some_and(|f| f.ends_with("text"))
    {
        return literal(text.get(open + 1..).unwrap_or_default());
    }
    let text = text.trim_start_matches(['r', 'u', 'b', 'f', 'R', 'U', 'B', 'F']);
    strings(text)
        .into_iter()
        .next()
        .filter(|_| text.starts_with(['"', '\'', '`']))
}

/// Every string literal in `text`, in order.
fn strings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['"', '\'', '`']) {
        let after = rest.get(open..).unwrap_or_default();
        let Some(quote) = after.chars().next() else {
            break;
        };
        let triple: String = std::iter::repeat_n(quote, 3).collect();
        let (delimiter, body) = match after.strip_prefix(triple.as_str()) {
            Some(body) => (triple.clone(), body),
            None => (quote.to_string(), after.get(1..).unwrap_or_default()),
        };
        let mut value = String::new();
        let mut chars = body.char_indices();
        let mut end = body.len();
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                if let Some((_, next)) = chars.next() {
                    value.push(next);
                }
                continue;
            }
            if body
                .get(i..)
                .is_some_and(|r| r.starts_with(delimiter.as_str()))
            {
                end = i + delimiter.len();
                break;
            }
            value.push(c);
        }
        out.push(value);
        rest = body.get(end..).unwrap_or_default();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rails_up_and_change_not_down() {
        let text = "class DropLegacy < ActiveRecord::Migration[7.1]\n  def up\n    drop_table :payouts_legacy, if_exists: true\n    remove_column :payouts, :legacy_state, :string\n    execute <<~SQL\n      DROP TYPE payout_state;\n    SQL\n  end\n\n  def down\n    drop_table :restored\n  end\nend\n";
        assert_eq!(
            statements(&Framework::Rails, text),
            vec![
                "DROP TABLE payouts_legacy",
                "ALTER TABLE payouts DROP COLUMN legacy_state",
                "DROP TYPE payout_state;"
            ]
        );
    }

    #[test]
    fn alembic_upgrade_not_downgrade() {
        let text = "def upgrade() -> None:\n    op.drop_table(\"legacy\")\n    with op.batch_alter_table(\"payouts\") as batch_op:\n        batch_op.drop_column(\"state\")\n    op.execute(sa.text(\"\"\"DELETE FROM audit\"\"\"))\n\n\ndef downgrade() -> None:\n    op.drop_column('payouts', 'settled_at')\n";
        assert_eq!(
            statements(&Framework::Alembic, text),
            vec![
                "DROP TABLE legacy",
                "ALTER TABLE payouts DROP COLUMN state",
                "DELETE FROM audit"
            ]
        );
    }

    #[test]
    fn django_operations() {
        let text = "operations = [\n    migrations.DeleteModel(name='PayoutLegacy'),\n    migrations.RemoveField(model_name='payout', name='state'),\n    migrations.RunSQL(sql='DROP VIEW v', reverse_sql='CREATE VIEW v AS SELECT 1'),\n]\n";
        assert_eq!(
            statements(&Framework::Django("payouts".to_owned()), text),
            vec![
                "DROP TABLE payouts_payoutlegacy",
                "ALTER TABLE payouts_payout DROP COLUMN state",
                "DROP VIEW v"
            ]
        );
    }

    #[test]
    fn knex_up_not_down() {
        let text = "exports.up = function (knex) {\n  return knex.schema.dropTable('legacy').table('payouts', (table) => {\n    table.dropColumn('state');\n  });\n};\nexports.down = function (knex) {\n  return knex.schema.dropTable('payouts');\n};\n";
        assert_eq!(
            statements(&Framework::Knex, text),
            vec!["DROP TABLE legacy", "ALTER TABLE payouts DROP COLUMN state"]
        );
    }

    #[test]
    fn liquibase_xml_changes_and_includes() {
        let text = "<databaseChangeLog>\n<include file=\"changes/044-drop.sql\" relativeToChangelogFile=\"true\"/>\n<includeAll path=\"sql/\"/>\n<changeSet id=\"1\" author=\"a\">\n<dropTable tableName=\"legacy\"/>\n<rollback><dropTable tableName=\"restored\"/></rollback>\n</changeSet>\n</databaseChangeLog>";
        assert_eq!(liquibase_changes(text), vec!["DROP TABLE legacy"]);
        assert_eq!(
            liquibase_includes(text),
            vec![
                ("include".to_owned(), "changes/044-drop.sql".to_owned()),
                ("includeAll".to_owned(), "sql/".to_owned())
            ]
        );
    }
}
