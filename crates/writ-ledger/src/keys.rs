//! Ed25519 keys in the C2SP signed-note encodings.
//!
//! * key ID: `SHA-256(name || 0x0A || 0x01 || 32-byte public key)[:4]`,
//!   read as a big-endian `u32`
//! * verifier key ("vkey"): `<name>+<8 hex digits key id>+<base64(0x01 || pubkey)>`
//! * signer key ("skey"): `PRIVATE+KEY+<name>+<8 hex digits key id>+<base64(0x01 || seed)>`
//!
//! These are the encodings of Go's `golang.org/x/mod/sumdb/note`, so keys
//! can be exchanged with Go tooling in both directions.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// Signature type byte for Ed25519 in C2SP signed notes.
pub const ALG_ED25519: u8 = 0x01;

/// File name of the private key written by [`KeyPair::save`] (mode 0600).
pub const SKEY_FILE: &str = "ledger.skey";
/// File name of the public verifier key written by [`KeyPair::save`].
pub const VKEY_FILE: &str = "ledger.vkey";
/// Signed-note name (the checkpoints' origin) of the key generated for a
/// new data directory.
pub const DEFAULT_KEY_NAME: &str = "writ.local/ledger";

/// Errors from key generation, encoding, decoding and key files.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Key names must be non-empty and contain no Unicode space and no `+`.
    #[error("invalid key name {0:?}")]
    InvalidName(String),
    /// A vkey string is not `<name>+<hex id>+<base64 key>`.
    #[error("malformed verifier key")]
    MalformedVkey,
    /// An skey string is not `PRIVATE+KEY+<name>+<hex id>+<base64 key>`.
    #[error("malformed signer key")]
    MalformedSkey,
    /// The key is not an Ed25519 key (wrong type byte).
    #[error("unsupported key algorithm {0:#04x}")]
    UnsupportedAlgorithm(u8),
    /// The public key bytes are not a valid Ed25519 point.
    #[error("invalid ed25519 public key")]
    InvalidPublicKey,
    /// The key ID in the encoding does not match the name and key.
    #[error("key id {found:08x} does not match computed {computed:08x}")]
    KeyIdMismatch {
        /// Key ID written in the encoding.
        found: u32,
        /// Key ID computed from name and public key.
        computed: u32,
    },
    /// Refusing to overwrite an existing key file.
    #[error("key file already exists: {0}")]
    AlreadyExists(PathBuf),
    /// The private key file is readable by group or others.
    #[error("private key file {path} has insecure mode {mode:o}, expected 0600")]
    InsecurePermissions {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The saved public key does not belong to the saved private key.
    #[error("public key file does not match the private key")]
    VkeyMismatch,
    /// Reading or writing a key file failed.
    #[error("key file i/o on {path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// True if `name` is a valid signed-note key name: non-empty, no Unicode
/// whitespace, no `+`.
pub fn is_valid_key_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == '+')
}

/// C2SP key ID of an Ed25519 key: `SHA-256(name || 0x0A || 0x01 || pubkey)[:4]`.
pub fn key_id(name: &str, public_key: &[u8; 32]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', ALG_ED25519]);
    h.update(public_key);
    let d = h.finalize();
    let mut id = [0u8; 4];
    id.copy_from_slice(d.get(..4).unwrap_or(&[0; 4]));
    u32::from_be_bytes(id)
}

fn parse_hex_id(s: &str) -> Option<u32> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

/// An Ed25519 signing key with its signed-note name.
///
/// This is the handle other crates reuse to sign arbitrary bytes (it
/// implements [`ed25519_dalek::Signer`]); [`KeyPair::verifying_key`] gives
/// the raw public key, [`KeyPair::vkey`] its shareable encoding.
#[derive(Clone)]
pub struct KeyPair {
    name: String,
    key_id: u32,
    signing: SigningKey,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("name", &self.name)
            .field("key_id", &format_args!("{:08x}", self.key_id))
            .finish_non_exhaustive()
    }
}

impl KeyPair {
    /// Generates a fresh key from the operating system's CSPRNG.
    pub fn generate(name: &str) -> Result<Self, KeyError> {
        let signing = SigningKey::generate(&mut rand::rngs::OsRng);
        Self::from_signing_key(name, signing)
    }

    /// Builds a key pair from a 32-byte Ed25519 seed (RFC 8032 private key).
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Self, KeyError> {
        Self::from_signing_key(name, SigningKey::from_bytes(seed))
    }

    fn from_signing_key(name: &str, signing: SigningKey) -> Result<Self, KeyError> {
        if !is_valid_key_name(name) {
            return Err(KeyError::InvalidName(name.to_owned()));
        }
        let key_id = key_id(name, signing.verifying_key().as_bytes());
        Ok(Self {
            name: name.to_owned(),
            key_id,
            signing,
        })
    }

    /// Parses `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>`.
    pub fn from_skey(skey: &str) -> Result<Self, KeyError> {
        let rest = skey
            .strip_prefix("PRIVATE+KEY+")
            .ok_or(KeyError::MalformedSkey)?;
        // The base64 key may itself contain '+': it is the remainder.
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(id), Some(key64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(KeyError::MalformedSkey);
        };
        let id = parse_hex_id(id).ok_or(KeyError::MalformedSkey)?;
        let key = B64.decode(key64).map_err(|_| KeyError::MalformedSkey)?;
        let (&alg, seed) = key.split_first().ok_or(KeyError::MalformedSkey)?;
        if alg != ALG_ED25519 {
            return Err(KeyError::UnsupportedAlgorithm(alg));
        }
        let seed: &[u8; 32] = seed.try_into().map_err(|_| KeyError::MalformedSkey)?;
        let kp = Self::from_seed(name, seed)?;
        if kp.key_id != id {
            return Err(KeyError::KeyIdMismatch {
                found: id,
                computed: kp.key_id,
            });
        }
        Ok(kp)
    }

    /// The private key as an skey string. Treat it as a secret.
    pub fn skey(&self) -> String {
        let mut key = Vec::with_capacity(33);
        key.push(ALG_ED25519);
        key.extend_from_slice(self.signing.as_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.key_id,
            B64.encode(&key)
        )
    }

    /// The public verifier key string `<name>+<hex id>+<base64(0x01 || pubkey)>`.
    pub fn vkey(&self) -> String {
        self.verifier().vkey()
    }

    /// The matching [`Verifier`].
    pub fn verifier(&self) -> Verifier {
        Verifier {
            name: self.name.clone(),
            key_id: self.key_id,
            key: self.signing.verifying_key(),
        }
    }

    /// Key name (the signed-note signer name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// C2SP key ID.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The Ed25519 public key.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    /// Signs arbitrary bytes with plain Ed25519 (RFC 8032).
    pub fn sign(&self, msg: &[u8]) -> Signature {
        ed25519_dalek::Signer::sign(&self.signing, msg)
    }

    /// Writes `ledger.skey` (mode 0600) and `ledger.vkey` into `dir`,
    /// creating `dir` if needed. Refuses to overwrite an existing private key.
    /// Returns the path of the private key file.
    pub fn save(&self, dir: &Path) -> Result<PathBuf, KeyError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| KeyError::Io { path, source }
        };
        fs::create_dir_all(dir).map_err(io(dir))?;
        let skey_path = dir.join(SKEY_FILE);
        let vkey_path = dir.join(VKEY_FILE);
        if skey_path.exists() {
            return Err(KeyError::AlreadyExists(skey_path));
        }
        write_file(
            &dir.join(".ledger.skey.tmp"),
            &skey_path,
            &self.skey(),
            true,
        )?;
        write_file(
            &dir.join(".ledger.vkey.tmp"),
            &vkey_path,
            &self.vkey(),
            false,
        )?;
        // Make the renames durable.
        if let Ok(d) = fs::File::open(dir) {
            d.sync_all().map_err(io(dir))?;
        }
        Ok(skey_path)
    }

    /// Loads the key saved by [`KeyPair::save`] from `dir`. On Unix the
    /// private key file must not be accessible by group or others. If
    /// `ledger.vkey` exists it must match the private key.
    pub fn load(dir: &Path) -> Result<Self, KeyError> {
        let skey_path = dir.join(SKEY_FILE);
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| KeyError::Io { path, source }
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&skey_path)
                .map_err(io(&skey_path))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                return Err(KeyError::InsecurePermissions {
                    path: skey_path,
                    mode: mode & 0o777,
                });
            }
        }
        let skey = fs::read_to_string(&skey_path).map_err(io(&skey_path))?;
        let kp = Self::from_skey(skey.trim_end())?;
        let vkey_path = dir.join(VKEY_FILE);
        match fs::read_to_string(&vkey_path) {
            Ok(v) => {
                if v.trim_end() != kp.vkey() {
                    return Err(KeyError::VkeyMismatch);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&vkey_path)(e)),
        }
        Ok(kp)
    }
}

impl ed25519_dalek::Signer<Signature> for KeyPair {
    fn try_sign(&self, msg: &[u8]) -> Result<Signature, ed25519_dalek::SignatureError> {
        self.signing.try_sign(msg)
    }
}

fn write_file(tmp: &Path, dest: &Path, contents: &str, private: bool) -> Result<(), KeyError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| KeyError::Io { path, source }
    };
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(if private { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = private;
    // A leftover temp file from an interrupted save may have a wider mode;
    // remove it so the mode above applies.
    let _ = fs::remove_file(tmp);
    let mut f = opts.open(tmp).map_err(io(tmp))?;
    f.write_all(contents.as_bytes()).map_err(io(tmp))?;
    f.write_all(b"\n").map_err(io(tmp))?;
    f.sync_all().map_err(io(tmp))?;
    drop(f);
    fs::rename(tmp, dest).map_err(io(dest))
}

/// An Ed25519 public key with its signed-note name and key ID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verifier {
    name: String,
    key_id: u32,
    key: VerifyingKey,
}

impl Verifier {
    /// Parses a vkey `<name>+<hex id>+<base64(0x01 || pubkey)>`, checking
    /// that the key ID matches the name and key.
    pub fn from_vkey(vkey: &str) -> Result<Self, KeyError> {
        // The base64 key may itself contain '+': it is the remainder.
        let mut parts = vkey.splitn(3, '+');
        let (Some(name), Some(id), Some(key64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(KeyError::MalformedVkey);
        };
        if !is_valid_key_name(name) {
            return Err(KeyError::MalformedVkey);
        }
        let id = parse_hex_id(id).ok_or(KeyError::MalformedVkey)?;
        let key = B64.decode(key64).map_err(|_| KeyError::MalformedVkey)?;
        let (&alg, pk) = key.split_first().ok_or(KeyError::MalformedVkey)?;
        if alg != ALG_ED25519 {
            return Err(KeyError::UnsupportedAlgorithm(alg));
        }
        let pk: &[u8; 32] = pk.try_into().map_err(|_| KeyError::MalformedVkey)?;
        let computed = key_id(name, pk);
        if computed != id {
            return Err(KeyError::KeyIdMismatch {
                found: id,
                computed,
            });
        }
        let key = VerifyingKey::from_bytes(pk).map_err(|_| KeyError::InvalidPublicKey)?;
        Ok(Self {
            name: name.to_owned(),
            key_id: id,
            key,
        })
    }

    /// Builds a verifier from a name and a raw public key.
    pub fn from_public_key(name: &str, key: VerifyingKey) -> Result<Self, KeyError> {
        if !is_valid_key_name(name) {
            return Err(KeyError::InvalidName(name.to_owned()));
        }
        Ok(Self {
            name: name.to_owned(),
            key_id: key_id(name, key.as_bytes()),
            key,
        })
    }

    /// The vkey encoding.
    pub fn vkey(&self) -> String {
        let mut key = Vec::with_capacity(33);
        key.push(ALG_ED25519);
        key.extend_from_slice(self.key.as_bytes());
        format!("{}+{:08x}+{}", self.name, self.key_id, B64.encode(&key))
    }

    /// Key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// C2SP key ID.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The Ed25519 public key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }

    /// Verifies a 64-byte Ed25519 signature over `msg` (strict RFC 8032
    /// verification: rejects non-canonical and small-order encodings).
    pub fn verify(&self, msg: &[u8], signature: &[u8]) -> bool {
        let Ok(sig) = Signature::from_slice(signature) else {
            return false;
        };
        self.key.verify_strict(msg, &sig).is_ok()
    }
}
