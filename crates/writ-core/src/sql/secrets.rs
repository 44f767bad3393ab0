//! Credentials a DuckDB session holds for remote storage: the secrets
//! `CREATE [PERSISTENT] SECRET` makes (`TYPE s3|r2|gcs|azure|http|
//! huggingface`, with `KEY_ID`, `SECRET`, `SESSION_TOKEN`,
//! `CONNECTION_STRING`, `BEARER_TOKEN`, ... and an optional `SCOPE`) and
//! the older settings (`SET s3_access_key_id = '...'`). DuckDB presents a
//! secret with every request to a path it covers, so a statement that
//! writes there sends the secret's credentials with its rows.

use super::{Statement, Tok, Token, closing};

/// The storage secrets and settings statements have made so far, in order.
#[derive(Debug, Default)]
pub(super) struct Vault {
    secrets: Vec<StorageSecret>,
    /// `SET` credential settings, by lower-case name, last value kept.
    settings: Vec<(String, String)>,
}

/// One secret for remote storage.
#[derive(Debug)]
struct StorageSecret {
    /// Its name, upper-cased; an unnamed secret is its type's default.
    name: String,
    /// The path prefixes it covers, lower-cased: its `SCOPE`, else every
    /// path of its type.
    scopes: Vec<String>,
    /// The values of its credential options, as written.
    credentials: Vec<String>,
}

/// Secret types for remote storage and the URL prefixes they cover when
/// no `SCOPE` narrows them.
const STORAGE_TYPES: &[(&str, &[&str])] = &[
    ("S3", &["s3://", "s3a://", "s3n://"]),
    ("R2", &["r2://"]),
    ("GCS", &["gcs://", "gs://"]),
    ("GS", &["gcs://", "gs://"]),
    ("AZURE", &["az://", "azure://", "abfss://"]),
    ("HTTP", &["http://", "https://"]),
    ("HUGGINGFACE", &["hf://"]),
];

/// Options of a secret whose values are presented to the storage.
const CREDENTIAL_OPTIONS: &[&str] = &[
    "KEY_ID",
    "SECRET",
    "SESSION_TOKEN",
    "CONNECTION_STRING",
    "ACCOUNT_KEY",
    "CLIENT_SECRET",
    "BEARER_TOKEN",
    "TOKEN",
    "EXTRA_HTTP_HEADERS",
];

/// Credential settings and the URL prefixes DuckDB uses them for when no
/// secret covers a path.
const CREDENTIAL_SETTINGS: &[(&str, &[&str])] = &[
    ("s3_access_key_id", S3_SETTING_PATHS),
    ("s3_secret_access_key", S3_SETTING_PATHS),
    ("s3_session_token", S3_SETTING_PATHS),
    (
        "azure_storage_connection_string",
        &["az://", "azure://", "abfss://"],
    ),
];

/// What the `s3_*` settings are used for: S3 and the stores reached
/// through its API.
const S3_SETTING_PATHS: &[&str] = &["s3://", "s3a://", "s3n://", "r2://", "gcs://", "gs://"];

impl Vault {
    /// Takes in what `statement` does to the session's credentials:
    /// `CREATE SECRET`, `DROP SECRET`, `SET` and `RESET`.
    pub(super) fn observe(&mut self, statement: &Statement<'_>) {
        let tokens = &statement.tokens;
        let words: Vec<&str> = tokens.iter().map_while(Token::word).take(6).collect();
        match words.first().copied() {
            Some("CREATE") if names_secret(&words) => self.create(tokens),
            Some("DROP") if names_secret(&words) => {
                let name = tokens.last().and_then(name);
                self.secrets.retain(|s| Some(&s.name) != name.as_ref());
            }
            Some("SET") => self.set(tokens),
            Some("RESET") => {
                if let Some(setting) = setting_name(tokens) {
                    self.settings.retain(|(n, _)| *n != setting);
                }
            }
            _ => {}
        }
    }

    /// The credentials DuckDB presents for `location`: those of the secret
    /// whose scope matches it longest (the latest on a tie), else those
    /// of the settings that apply to it.
    pub(super) fn credentials(&self, location: &str) -> Vec<String> {
        let location = location.trim().to_ascii_lowercase();
        let best = self
            .secrets
            .iter()
            .filter_map(|secret| {
                let longest = secret
                    .scopes
                    .iter()
                    .filter(|scope| location.starts_with(scope.as_str()))
                    .map(String::len)
                    .max()?;
                Some((longest, secret))
            })
            // The last of equal maxima: the latest secret.
            .max_by_key(|(longest, _)| *longest);
        if let Some((_, secret)) = best {
            return secret.credentials.clone();
        }
        self.settings
            .iter()
            .filter(|(name, _)| {
                CREDENTIAL_SETTINGS
                    .iter()
                    .find(|(setting, _)| setting == name)
                    .is_some_and(|(_, paths)| paths.iter().any(|p| location.starts_with(p)))
            })
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// `CREATE [OR REPLACE] [PERSISTENT|TEMPORARY] SECRET [IF NOT EXISTS]
    /// [name] [IN storage] (TYPE t, KEY value, SCOPE 'prefix' | ['a',
    /// 'b'], ...)`, when `t` is a type of remote storage.
    fn create(&mut self, tokens: &[Token]) {
        let Some(open) = tokens.iter().position(|t| t.is_punct('(')) else {
            return;
        };
        let head = tokens.get(..open).unwrap_or_default();
        let options = options(tokens, open);
        let Some(kind) = value(&options, "TYPE").map(str::to_ascii_uppercase) else {
            return;
        };
        let Some((_, defaults)) = STORAGE_TYPES.iter().find(|(t, _)| *t == kind) else {
            return;
        };
        let named = head
            .iter()
            .skip_while(|t| !t.is("SECRET"))
            .skip(1)
            .take_while(|t| !t.is("IN"))
            .filter(|t| {
                !t.word()
                    .is_some_and(|w| matches!(w, "IF" | "NOT" | "EXISTS"))
            })
            .find_map(name);
        let name = named.unwrap_or_else(|| format!("__DEFAULT_{kind}"));
        let keeps_old = head.iter().any(|t| t.is("EXISTS"));
        if keeps_old && self.secrets.iter().any(|s| s.name == name) {
            return;
        }
        let scopes: Vec<String> = options
            .iter()
            .filter(|(key, _)| key == "SCOPE")
            .flat_map(|(_, values)| values.iter().map(|v| v.to_ascii_lowercase()))
            .collect();
        let scopes = if scopes.is_empty() {
            defaults.iter().map(|p| (*p).to_owned()).collect()
        } else {
            scopes
        };
        let credentials = options
            .iter()
            .filter(|(key, _)| CREDENTIAL_OPTIONS.contains(&key.as_str()))
            .flat_map(|(_, values)| values.iter().cloned())
            .filter(|v| !v.is_empty())
            .collect();
        self.secrets.retain(|s| s.name != name);
        self.secrets.push(StorageSecret {
            name,
            scopes,
            credentials,
        });
    }

    /// `SET [GLOBAL|SESSION|LOCAL] name = value` (or `TO value`) of a
    /// credential setting.
    fn set(&mut self, tokens: &[Token]) {
        let Some(setting) = setting_name(tokens) else {
            return;
        };
        if !CREDENTIAL_SETTINGS.iter().any(|(name, _)| *name == setting) {
            return;
        }
        let Some(value) = tokens.iter().find_map(Token::literal) else {
            return;
        };
        self.settings.retain(|(n, _)| *n != setting);
        self.settings.push((setting, value.to_owned()));
    }
}

/// True when the words after a statement's verb name a secret (`CREATE
/// OR REPLACE PERSISTENT SECRET`, `DROP TEMPORARY SECRET`), not a table.
fn names_secret(words: &[&str]) -> bool {
    words
        .iter()
        .skip(1)
        .find(|w| !matches!(**w, "OR" | "REPLACE" | "PERSISTENT" | "TEMPORARY"))
        .is_some_and(|w| *w == "SECRET")
}

/// The setting a `SET` or `RESET` names, lower-cased.
fn setting_name(tokens: &[Token]) -> Option<String> {
    tokens
        .iter()
        .skip(1)
        .filter_map(Token::word)
        .find(|w| !matches!(*w, "GLOBAL" | "SESSION" | "LOCAL"))
        .map(str::to_ascii_lowercase)
}

/// The options in the parentheses opening at `open`: each key (a word
/// after the `(` or a `,`), upper-cased, with the strings and words of its
/// value. A `,` followed by a string continues the value before it (a
/// list: `SCOPE ['s3://a', 's3://b']`).
fn options(tokens: &[Token], open: usize) -> Vec<(String, Vec<String>)> {
    let close = closing(tokens, open).unwrap_or(tokens.len());
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut expect_key = true;
    for t in tokens.get(open + 1..close).unwrap_or_default() {
        if t.is_punct(',') {
            expect_key = true;
            continue;
        }
        if expect_key && let Some(key) = t.word() {
            out.push((key.to_owned(), Vec::new()));
            expect_key = false;
            continue;
        }
        expect_key = false;
        if let Some((_, values)) = out.last_mut() {
            match &t.tok {
                Tok::Text(v) | Tok::Ident(v) => values.push(v.clone()),
                Tok::Word(w) => values.push(w.clone()),
                Tok::Punct(_) | Tok::Meta(_) => {}
            }
        }
    }
    out
}

/// The first value of option `key`.
fn value<'a>(options: &'a [(String, Vec<String>)], key: &str) -> Option<&'a str> {
    options
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .and_then(|(_, values)| values.first())
        .map(String::as_str)
}

/// A secret's name as statements compare it: upper-cased.
fn name(token: &Token) -> Option<String> {
    match &token.tok {
        Tok::Word(w) => Some(w.clone()),
        Tok::Ident(i) | Tok::Text(i) => Some(i.to_ascii_uppercase()),
        Tok::Punct(_) | Tok::Meta(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Lexicon, statements};
    use super::*;

    fn vault(sql: &str) -> Vault {
        let mut vault = Vault::default();
        for statement in statements(sql, Lexicon::STANDARD) {
            vault.observe(&statement);
        }
        vault
    }

    #[test]
    fn a_secret_covers_the_paths_of_its_type_or_its_scope() {
        let v = vault(
            "CREATE SECRET q (TYPE s3, KEY_ID 'AKIAX', SECRET 'sk', REGION 'eu-west-1'); \
             CREATE PERSISTENT SECRET narrow (TYPE S3, KEY_ID 'AKIAY', SECRET 'sy', SCOPE 's3://b/p')",
        );
        assert_eq!(v.credentials("s3://a/x.csv"), ["AKIAX", "sk"]);
        assert_eq!(v.credentials("s3://b/p/x.csv"), ["AKIAY", "sy"]);
        assert!(v.credentials("gs://a/x").is_empty());
        assert!(v.credentials("https://a/x").is_empty());
        let v = vault(
            "CREATE SECRET (TYPE gcs, KEY_ID 'k', SECRET 's', SCOPE ['gs://one', 'gs://two'])",
        );
        assert_eq!(v.credentials("gs://two/x"), ["k", "s"]);
        assert!(v.credentials("gs://three/x").is_empty());
        let v = vault(
            "CREATE SECRET h (TYPE http, BEARER_TOKEN 'tok'); CREATE SECRET az (TYPE azure, CONNECTION_STRING 'AccountKey=abc')",
        );
        assert_eq!(v.credentials("https://api.x/y"), ["tok"]);
        assert_eq!(v.credentials("az://c/x"), ["AccountKey=abc"]);
    }

    #[test]
    fn secrets_are_replaced_dropped_and_chained_from_the_environment() {
        let v = vault(
            "CREATE SECRET s (TYPE s3, KEY_ID 'old'); CREATE OR REPLACE SECRET s (TYPE s3, KEY_ID 'new')",
        );
        assert_eq!(v.credentials("s3://b/x"), ["new"]);
        let v = vault("CREATE SECRET s (TYPE s3, KEY_ID 'k'); DROP SECRET s");
        assert!(v.credentials("s3://b/x").is_empty());
        // The provider finds the credentials; none is written here.
        let v = vault("CREATE SECRET (TYPE s3, PROVIDER credential_chain)");
        assert!(v.credentials("s3://b/x").is_empty());
        // A database's secret is not storage's.
        let v = vault("CREATE SECRET (TYPE postgres, PASSWORD 'pw')");
        assert!(v.credentials("s3://b/x").is_empty());
    }

    #[test]
    fn settings_give_credentials_where_no_secret_does() {
        let v = vault(
            "SET s3_access_key_id = 'AKIAX'; SET GLOBAL s3_secret_access_key TO 'sk'; SET s3_region = 'x'",
        );
        assert_eq!(v.credentials("s3://b/x"), ["AKIAX", "sk"]);
        assert!(v.credentials("https://b/x").is_empty());
        let v = vault("SET s3_access_key_id = 'AKIAX'; RESET s3_access_key_id");
        assert!(v.credentials("s3://b/x").is_empty());
        let v = vault("SET s3_access_key_id = 'AKIAX'; CREATE SECRET (TYPE s3, KEY_ID 'k')");
        assert_eq!(v.credentials("s3://b/x"), ["k"]);
    }
}
