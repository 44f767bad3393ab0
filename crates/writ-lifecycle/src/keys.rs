//! Signing identities: one Ed25519 seed serves both the ledger's signed
//! notes (a [`KeyPair`]) and writ-proof's receipts, envelopes and release
//! tokens (a [`SigningKey`] named by [`writ_proof::key_id`]).

use std::path::Path;
use std::sync::Arc;

use base64::Engine as _;
use ed25519_dalek::hazmat::ExpandedSecretKey;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
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
    /// The signing scalar and nonce prefix, derived from the seed once
    /// instead of at every signature.
    expanded: Arc<ExpandedSecretKey>,
    verifying: VerifyingKey,
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
        let verifying = signing.verifying_key();
        let keyid = writ_proof::key_id(&verifying);
        Ok(Signer {
            pair,
            expanded: Arc::new(ExpandedSecretKey::from(seed)),
            verifying,
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
        self.verifying
    }

    /// The Ed25519 signature of `message`: the same bytes as
    /// `signing_key().sign(message)`, without re-deriving the expanded key.
    pub fn sign(&self, message: &[u8]) -> Signature {
        ed25519_dalek::hazmat::raw_sign::<sha2::Sha512>(&self.expanded, message, &self.verifying)
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

    #[test]
    fn signatures_are_those_of_the_signing_key() {
        use ed25519_dalek::Signer as _;
        for seed in [[7u8; 32], [0u8; 32], [255u8; 32]] {
            let signer = Signer::from_seed("writ.test/log", &seed).unwrap();
            for message in [&b""[..], b"x", &[0xa5; 5000]] {
                let sig = signer.sign(message);
                assert_eq!(sig, signer.signing_key().sign(message));
                signer.verifying_key().verify_strict(message, &sig).unwrap();
            }
        }
    }
}
