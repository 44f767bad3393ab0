//! Signing identities: one Ed25519 seed serves both the ledger's signed
//! notes (a [`KeyPair`]) and writ-proof's receipts, envelopes and release
//! tokens (a [`SigningKey`] named by [`writ_proof::key_id`]).

use std::path::Path;

use base64::Engine as _;
use ed25519_dalek::{SigningKey, VerifyingKey};
use writ_ledger::{KeyError, KeyPair, Verifier};

/// Why a key could not be made, loaded or saved.
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error("ledger key: {0}")]
    Ledger(#[from] KeyError),
    #[error("private key file does not hold an ed25519 seed")]
    MalformedSeed,
}

/// A signer: the same Ed25519 key as a ledger [`KeyPair`] (named, for
/// checkpoints) and as a writ-proof [`SigningKey`] (for receipts).
#[derive(Clone)]
pub struct Signer {
    pair: KeyPair,
    signing: SigningKey,
    keyid: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("name", &self.pair.name())
            .field("keyid", &self.keyid)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer from a 32-byte seed and a signed-note key name.
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Signer, KeysError> {
        let pair = KeyPair::from_seed(name, seed)?;
        let signing = SigningKey::from_bytes(seed);
        let keyid = writ_proof::key_id(&signing.verifying_key());
        Ok(Signer {
            pair,
            signing,
            keyid,
        })
    }

    /// A fresh signer from the operating system's random source.
    pub fn generate(name: &str) -> Result<Signer, KeysError> {
        let mut seed = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut seed);
        Signer::from_seed(name, &seed)
    }

    /// Loads the key [`KeyPair::save`] wrote into `dir` (`ledger.skey`).
    pub fn load(dir: &Path) -> Result<Signer, KeysError> {
        let pair = KeyPair::load(dir)?;
        let seed = seed_of_skey(&pair.skey()).ok_or(KeysError::MalformedSeed)?;
        Signer::from_seed(pair.name(), &seed)
    }

    /// Writes `ledger.skey` and `ledger.vkey` into `dir`.
    pub fn save(&self, dir: &Path) -> Result<(), KeysError> {
        self.pair.save(dir)?;
        Ok(())
    }

    /// The signed-note key pair.
    pub fn pair(&self) -> &KeyPair {
        &self.pair
    }

    /// The writ-proof signing key.
    pub fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    /// `ed25519:` + hex SHA-256 of the public key.
    pub fn keyid(&self) -> &str {
        &self.keyid
    }

    /// The public key.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    /// The public verifier (what an auditor is given, as a vkey string).
    pub fn verifier(&self) -> Verifier {
        self.pair.verifier()
    }
}

/// The seed inside `PRIVATE+KEY+<name>+<id>+<base64(0x01 || seed)>`.
fn seed_of_skey(skey: &str) -> Option<[u8; 32]> {
    let encoded = skey.rsplit('+').next()?;
    // The base64 part may contain '+': take everything after the fourth '+'.
    let encoded = skey.splitn(5, '+').nth(4).unwrap_or(encoded);
    let raw = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let (&alg, seed) = raw.split_first()?;
    if alg != 0x01 {
        return None;
    }
    seed.try_into().ok()
}

/// Trusted keys as writ-proof wants them: `(key id, key)`.
pub fn proof_keys(verifiers: &[Verifier]) -> Vec<(String, VerifyingKey)> {
    verifiers
        .iter()
        .map(|v| (writ_proof::key_id(v.verifying_key()), *v.verifying_key()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_and_load_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let signer = Signer::from_seed("writ.test/log", &[7u8; 32]).unwrap();
        signer.save(dir.path()).unwrap();
        let loaded = Signer::load(dir.path()).unwrap();
        assert_eq!(loaded.keyid(), signer.keyid());
        assert_eq!(loaded.pair().vkey(), signer.pair().vkey());
    }
}
