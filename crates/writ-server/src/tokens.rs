//! Principals and their bearer tokens. A token is shown once, when it is
//! created; the server database keeps only its SHA-256.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db;
use crate::error::ServeError;

/// What a principal may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Guards actions, records assumptions and outcomes of its own actions.
    Agent,
    /// Grants or denies approvals in its jurisdictions.
    Approver,
    /// Reads actions, proofs and the queue.
    Auditor,
    /// Everything: guards, approves (in its jurisdictions), reads.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Agent, Role::Approver, Role::Auditor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Approver => "approver",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// Roles that may hold jurisdictions (and so approve).
    pub fn approves(self) -> bool {
        matches!(self, Role::Approver | Role::Admin)
    }
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub jurisdictions: Vec<String>,
}

/// A token as `tokens list` shows it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub jurisdictions: Vec<String>,
    pub created_at: String,
    pub revoked_at: Option<String>,
    /// First 12 hex digits of the token's SHA-256, to tell tokens apart.
    pub fingerprint: String,
}

/// SHA-256 of a token, lowercase hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn check_name(name: &str) -> Result<(), ServeError> {
    if name.trim().is_empty() || name.len() > 128 || name.chars().any(char::is_control) {
        return Err(ServeError::Token(format!(
            "principal name `{name}` must be 1 to 128 printable characters"
        )));
    }
    Ok(())
}

/// Creates a principal and its token in `conn`; returns the token.
pub fn create(
    conn: &Connection,
    role: Role,
    name: &str,
    jurisdictions: &[String],
) -> Result<String, ServeError> {
    check_name(name)?;
    if !role.approves() && !jurisdictions.is_empty() {
        return Err(ServeError::Token(format!(
            "only approvers and admins hold jurisdictions, not a `{}`",
            role.as_str()
        )));
    }
    if role == Role::Approver && jurisdictions.is_empty() {
        return Err(ServeError::Token(
            "an approver needs at least one --jurisdiction".to_owned(),
        ));
    }
    if let Some(j) = jurisdictions.iter().find(|j| {
        j.is_empty()
            || !j
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    }) {
        return Err(ServeError::Token(format!(
            "jurisdiction `{j}` must be letters, digits, `_` or `-`"
        )));
    }
    let taken: Option<i64> = conn
        .query_row(
            "SELECT id FROM tokens WHERE name = ?1 AND revoked_at IS NULL",
            params![name],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Err(ServeError::Token(format!(
            "principal `{name}` already has a live token; revoke it first"
        )));
    }
    let mut raw = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut raw);
    let token = format!("writ_{}", hex::encode(raw));
    let mut js = jurisdictions.to_vec();
    js.sort();
    js.dedup();
    conn.execute(
        "INSERT INTO tokens (name, role, jurisdictions, hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            name,
            role.as_str(),
            serde_json::to_string(&js).unwrap_or_else(|_| "[]".to_owned()),
            token_hash(&token),
            db::now_text()?
        ],
    )?;
    Ok(token)
}

/// Revokes `name`'s live token, if any, and creates a new one.
pub fn rotate(conn: &Connection, role: Role, name: &str) -> Result<String, ServeError> {
    conn.execute(
        "UPDATE tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
        params![name, db::now_text()?],
    )?;
    create(conn, role, name, &[])
}

/// Every token, live or revoked, oldest first.
pub fn list(conn: &Connection) -> Result<Vec<TokenInfo>, ServeError> {
    let mut stmt = conn.prepare(
        "SELECT id, name, role, jurisdictions, created_at, revoked_at, hash FROM tokens ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, role, js, created_at, revoked_at, hash) = row?;
        out.push(TokenInfo {
            id,
            name,
            role: Role::parse(&role)
                .ok_or_else(|| corrupt(2, "role", format!("`{role}` is no role")))?,
            jurisdictions: jurisdictions(&js, 3)?,
            created_at,
            revoked_at,
            fingerprint: hash.get(..12).unwrap_or_default().to_owned(),
        });
    }
    Ok(out)
}

/// Revokes the live token of principal `name`.
pub fn revoke(conn: &Connection, name: &str) -> Result<(), ServeError> {
    let n = conn.execute(
        "UPDATE tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
        params![name, db::now_text()?],
    )?;
    if n == 0 {
        return Err(ServeError::Token(format!(
            "principal `{name}` has no live token"
        )));
    }
    Ok(())
}

/// The principal a token belongs to, if it is live.
pub fn authenticate(conn: &Connection, token: &str) -> Result<Option<Principal>, rusqlite::Error> {
    let row = conn
        .prepare_cached(
            "SELECT id, name, role, jurisdictions FROM tokens WHERE hash = ?1 AND revoked_at IS NULL",
        )?
        .query_row(
            params![token_hash(token)],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((id, name, role, js)) = row else {
        return Ok(None);
    };
    // A token whose role is unknown grants nothing.
    let Some(role) = Role::parse(&role) else {
        return Ok(None);
    };
    Ok(Some(Principal {
        id,
        name,
        role,
        jurisdictions: jurisdictions(&js, 3)?,
    }))
}

/// A token row's `jurisdictions` column (a JSON list of names), read as
/// column `index` of a query; one that does not parse is an error, not an
/// empty list.
fn jurisdictions(js: &str, index: usize) -> Result<Vec<String>, rusqlite::Error> {
    serde_json::from_str(js).map_err(|e| corrupt(index, "jurisdictions", e.to_string()))
}

/// A token row whose `column` (column `index` of the query) holds what no
/// token can have.
fn corrupt(index: usize, column: &str, why: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        index,
        rusqlite::types::Type::Text,
        format!("the tokens table's `{column}` is corrupt: {why}").into(),
    )
}

/// Live approvers by jurisdiction (what the deployment's `approvers` gets).
pub fn approvers(
    conn: &Connection,
) -> Result<std::collections::BTreeMap<String, Vec<String>>, rusqlite::Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, jurisdictions FROM tokens WHERE revoked_at IS NULL AND role IN ('approver', 'admin') ORDER BY name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for row in rows {
        let (name, js) = row?;
        let js = jurisdictions(&js, 1)?;
        for j in js {
            out.entry(j).or_default().push(name.clone());
        }
    }
    Ok(out)
}

/// `writ tokens create`: a new token for principal `name` in the data directory.
pub fn tokens_create(
    data_dir: &Path,
    role: Role,
    name: &str,
    jurisdictions: &[String],
) -> Result<String, ServeError> {
    let conn = db::open(data_dir)?;
    create(&conn, role, name, jurisdictions)
}

/// `writ tokens list`.
pub fn tokens_list(data_dir: &Path) -> Result<Vec<TokenInfo>, ServeError> {
    list(&db::open(data_dir)?)
}

/// `writ tokens revoke`.
pub fn tokens_revoke(data_dir: &Path, name: &str) -> Result<(), ServeError> {
    revoke(&db::open(data_dir)?, name)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_corrupt_jurisdictions_column_is_an_error_not_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(dir.path()).unwrap();
        let token = create(&conn, Role::Approver, "alice", &["finance".to_owned()]).unwrap();
        let alice = authenticate(&conn, &token).unwrap().unwrap();
        assert_eq!(alice.jurisdictions, vec!["finance".to_owned()]);
        assert_eq!(
            approvers(&conn).unwrap()["finance"],
            vec!["alice".to_owned()]
        );

        conn.execute(
            "UPDATE tokens SET jurisdictions = 'finance' WHERE name = 'alice'",
            [],
        )
        .unwrap();
        let why = authenticate(&conn, &token).unwrap_err().to_string();
        assert!(why.contains("`jurisdictions` is corrupt"), "{why}");
        assert!(approvers(&conn).is_err());
        assert!(list(&conn).is_err());

        // An unknown role grants nothing, and listing names it.
        conn.execute(
            "UPDATE tokens SET jurisdictions = '[]', role = 'root' WHERE name = 'alice'",
            [],
        )
        .unwrap();
        assert!(authenticate(&conn, &token).unwrap().is_none());
        let why = list(&conn).unwrap_err().to_string();
        assert!(why.contains("`root` is no role"), "{why}");
    }

    #[test]
    fn the_token_commands_carry_an_earlier_server_db_over_before_they_write() {
        // An earlier server's `server.db` with one token (same tables).
        let earlier = tempfile::tempdir().unwrap();
        let conn = crate::db::open(earlier.path()).unwrap();
        let alice = create(&conn, Role::Approver, "alice", &["finance".to_owned()]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let server_db = dir.path().join("server.db");
        conn.execute("VACUUM INTO ?1", [server_db.to_str().unwrap()])
            .unwrap();
        drop(conn);

        // Creating a token first carries alice over, so the new one cannot
        // take her id and her row is not skipped as a duplicate.
        let bob = crate::tokens_create(dir.path(), Role::Agent, "bob", &[]).unwrap();
        assert!(!server_db.exists());
        assert!(dir.path().join("server.db.merged").exists());
        let conn = crate::db::open(dir.path()).unwrap();
        let found = authenticate(&conn, &alice).unwrap().unwrap();
        assert_eq!(
            (found.name.as_str(), found.jurisdictions),
            ("alice", vec!["finance".to_owned()])
        );
        assert_eq!(authenticate(&conn, &bob).unwrap().unwrap().name, "bob");
        let names: Vec<(i64, String)> = list(&conn)
            .unwrap()
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        assert_eq!(names, vec![(1, "alice".to_owned()), (2, "bob".to_owned())]);
    }
}
