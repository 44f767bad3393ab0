//! `writ keys`, `writ log`, `writ proof` and `writ verify`: plain functions
//! the CLI calls. A *store* is a directory holding the log (`ledger.db`)
//! and its key (`ledger.skey`, `ledger.vkey`).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use writ_ledger::{Ledger, Verifier};
use writ_lifecycle::{Signer, certified_actions, export, verify_bundle};

/// File name of the log inside a store.
pub use writ_ledger::LEDGER_FILE;
/// Default signed-note name of a new log key.
pub use writ_ledger::keys::DEFAULT_KEY_NAME;

/// Exit code for unreadable files and other I/O failures.
pub const EXIT_IO: u8 = 1;
/// Exit code for bad arguments.
pub const EXIT_USAGE: u8 = 2;

fn io(path: &Path, e: impl std::fmt::Display) -> String {
    format!("{}: {e}", path.display())
}

fn open_store(store: &Path) -> Result<(Ledger, Signer), String> {
    let signer = Signer::load(store).map_err(|e| io(store, e))?;
    let ledger = Ledger::open(store.join(LEDGER_FILE)).map_err(|e| io(store, e))?;
    Ok((ledger, signer))
}

/// Creates a new log key in `dir`; returns its public vkey.
pub fn keys_init(dir: &Path) -> Result<String, String> {
    let signer = Signer::generate(DEFAULT_KEY_NAME).map_err(|e| e.to_string())?;
    signer.save(dir).map_err(|e| io(dir, e))?;
    Ok(signer.pair().vkey())
}

/// A checkpoint of the whole log, signed now (C2SP signed note).
pub fn log_checkpoint(store: &Path) -> Result<String, String> {
    let (ledger, signer) = open_store(store)?;
    ledger
        .checkpoint(signer.pair().name())
        .sign(signer.pair())
        .map_err(|e| e.to_string())
}

/// Inclusion proof of leaf `index` in the tree of `size` leaves, as JSON.
pub fn log_prove_inclusion(store: &Path, index: u64, size: u64) -> Result<String, String> {
    let (ledger, _) = open_store(store)?;
    let proof = ledger
        .inclusion_proof(index, size)
        .map_err(|e| e.to_string())?;
    let out = json!({
        "index": index,
        "size": size,
        "leaf_hash": hex::encode(ledger.leaf_hash(index).map_err(|e| e.to_string())?),
        "root": hex::encode(ledger.root(size).map_err(|e| e.to_string())?),
        "proof": proof.iter().map(hex::encode).collect::<Vec<_>>(),
    });
    Ok(pretty(&out))
}

/// Consistency proof between tree sizes `old` and `new`, as JSON.
pub fn log_prove_consistency(store: &Path, old: u64, new: u64) -> Result<String, String> {
    let (ledger, _) = open_store(store)?;
    let proof = ledger
        .consistency_proof(old, new)
        .map_err(|e| e.to_string())?;
    let out = json!({
        "old_size": old,
        "new_size": new,
        "old_root": hex::encode(ledger.root(old).map_err(|e| e.to_string())?),
        "new_root": hex::encode(ledger.root(new).map_err(|e| e.to_string())?),
        "proof": proof.iter().map(hex::encode).collect::<Vec<_>>(),
    });
    Ok(pretty(&out))
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Writes proof bundles (one per action and one per session) for one action
/// id, or every action when `action` is `None` or `"all"`, into `out_dir`;
/// returns the files written, one a line.
pub fn proof_export(store: &Path, action: Option<&str>, out_dir: &Path) -> Result<String, String> {
    let (ledger, signer) = open_store(store)?;
    let mut actions = certified_actions(&ledger).map_err(|e| e.to_string())?;
    if let Some(id) = action.filter(|a| *a != "all") {
        actions.retain(|a| a.certificate.action_id == id);
        if actions.is_empty() {
            return Err(format!("no certified action `{id}` in the log"));
        }
    }
    let written = export(&ledger, &signer, &actions, out_dir).map_err(|e| e.to_string())?;
    Ok(written
        .iter()
        .map(|w| format!("{} {} ({} actions)", w.scope, w.path.display(), w.actions))
        .collect::<Vec<_>>()
        .join("\n"))
}

/// Trusted keys from a file of vkeys, one a line (blank lines and `#` comments ignored).
fn trusted_keys(key: &Path) -> Result<Vec<Verifier>, (u8, String)> {
    let text = std::fs::read_to_string(key).map_err(|e| (EXIT_IO, io(key, e)))?;
    let keys: Vec<Verifier> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            Verifier::from_vkey(l)
                .map_err(|e| (EXIT_USAGE, format!("{}: bad vkey: {e}", key.display())))
        })
        .collect::<Result<_, _>>()?;
    if keys.is_empty() {
        return Err((EXIT_USAGE, format!("{}: no vkey", key.display())));
    }
    Ok(keys)
}

/// Verifies bundles offline against the vkeys in `key`. On failure returns
/// the exit code of the first failing bundle's [`writ_lifecycle::VerifyError`].
pub fn verify(bundle_paths: &[PathBuf], key: &Path) -> Result<String, (u8, String)> {
    if bundle_paths.is_empty() {
        return Err((EXIT_USAGE, "no bundle given".to_owned()));
    }
    let trusted = trusted_keys(key)?;
    let mut lines = Vec::new();
    for path in bundle_paths {
        let text = std::fs::read_to_string(path).map_err(|e| (EXIT_IO, io(path, e)))?;
        let bundle: Value = serde_json::from_str(&text)
            .map_err(|e| (10, format!("{}: not json: {e}", path.display())))?;
        let report = verify_bundle(&bundle, &trusted)
            .map_err(|e| (e.exit_code(), format!("{}: {e}", path.display())))?;
        lines.push(format!(
            "{}: ok: {} actions, {} receipts, {} decisions replayed, log {} at size {}",
            path.display(),
            report.actions.len(),
            report.receipts,
            report.replayed,
            report.log_origin,
            report.checkpoint_size
        ));
    }
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use writ_core::{Deployment, GuardInput, PolicyPack, SessionState};
    use writ_lifecycle::{Action, Closure, Context, Outcome, Recorder};

    #[test]
    fn keys_log_export_and_verify() {
        let store = tempfile::tempdir().unwrap();
        let vkey = keys_init(store.path()).unwrap();
        let signer = Signer::load(store.path()).unwrap();
        let mut recorder = Recorder::open(store.path().join(LEDGER_FILE), signer.clone()).unwrap();
        let d = Deployment::from_json(r#"{"workspace": "/w", "home": "/h"}"#)
            .unwrap()
            .over(Deployment::builtin());
        let ctx = Context::new(&d, PolicyPack::default_pack().unwrap(), "test", vec![]).unwrap();
        let env = serde_json::from_value(
            json!({"runtime": "claude-code", "family": "tool_hook", "session_id": "s",
            "tool": "Bash", "arguments": {"command": "ls"}}),
        )
        .unwrap();
        let now = time::OffsetDateTime::UNIX_EPOCH;
        let input = GuardInput {
            envelope: &env,
            session: &SessionState::default(),
            approvals: &[],
            now,
            agent: "a",
            user: None,
        };
        let mut a = Action::guard(&ctx, input).unwrap();
        a.open().unwrap();
        a.release(
            &ctx,
            now,
            60,
            writ_lifecycle::release_nonce::Nonce::from_bytes([4; 16]),
            &signer,
        )
        .unwrap();
        a.outcome(Outcome {
            closure: Closure::Completed,
            result: json!(0),
            evidence: vec![],
            checks: vec![],
        })
        .unwrap();
        recorder.certify(&mut [&mut a]).unwrap();
        drop(recorder);

        // The shared deployment and policy, three receipts and the certificate.
        assert!(
            log_checkpoint(store.path())
                .unwrap()
                .starts_with("writ.local/ledger\n6\n")
        );
        assert!(
            log_prove_inclusion(store.path(), 1, 6)
                .unwrap()
                .contains("\"proof\"")
        );
        assert!(
            log_prove_consistency(store.path(), 2, 6)
                .unwrap()
                .contains("\"proof\"")
        );
        let out = tempfile::tempdir().unwrap();
        let listing = proof_export(store.path(), None, out.path()).unwrap();
        assert_eq!(listing.lines().count(), 2, "{listing}");
        let key = out.path().join("trusted.vkey");
        std::fs::write(&key, format!("{vkey}\n")).unwrap();
        let bundles = vec![
            out.path().join("sessions/s.json"),
            out.path().join(format!("actions/{}.json", a.id())),
        ];
        assert!(verify(&bundles, &key).unwrap().contains("ok: 1 actions"));
        let text = std::fs::read_to_string(&bundles[0])
            .unwrap()
            .replace("\"released\": true", "\"released\": false");
        std::fs::write(&bundles[0], text).unwrap();
        let (code, message) = verify(&bundles, &key).unwrap_err();
        assert_eq!(code, 60, "{message}");
        assert_eq!(
            proof_export(store.path(), Some("act_nope"), out.path()).unwrap_err(),
            "no certified action `act_nope` in the log"
        );
    }
}
