//! Signed notes, checkpoints and keys, including interoperability vectors
//! from Go's `golang.org/x/mod/sumdb/note` tests and real checkpoints
//! issued by sum.golang.org.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use writ_ledger::checkpoint::verify_checkpoint_for_origin;
use writ_ledger::keys::{SKEY_FILE, VKEY_FILE, is_valid_key_name, key_id};
use writ_ledger::merkle::leaf_hash;
use writ_ledger::{
    Checkpoint, CheckpointError, KeyError, KeyPair, Ledger, Note, NoteError, Verifier, open_note,
    sign_note, verify_checkpoint,
};

const PETER_SKEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const PETER_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const ENOCH_VKEY: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                    then you don't know what your problem is.\n";
const PETER_SIG: &str = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG: &str = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

fn peter() -> Verifier {
    Verifier::from_vkey(PETER_VKEY).unwrap()
}
fn enoch() -> Verifier {
    Verifier::from_vkey(ENOCH_VKEY).unwrap()
}

#[test]
fn go_skey_vkey_and_signature_are_byte_identical() {
    let kp = KeyPair::from_skey(PETER_SKEY).unwrap();
    assert_eq!(kp.name(), "PeterNeumann");
    assert_eq!(kp.key_id(), 0xc74f20a3);
    assert_eq!(kp.vkey(), PETER_VKEY);
    assert_eq!(kp.skey(), PETER_SKEY);
    assert_eq!(
        key_id("PeterNeumann", kp.verifying_key().as_bytes()),
        0xc74f20a3
    );
    // Ed25519 is deterministic: our note must equal the one Go produced.
    let signed = sign_note(TEXT, &[&kp]).unwrap();
    assert_eq!(signed, format!("{TEXT}\n{PETER_SIG}"));
}

#[test]
fn go_open_vectors() {
    let msg = format!("{TEXT}\n{PETER_SIG}{ENOCH_SIG}");
    // One verified, one ignored.
    let n = open_note(msg.as_bytes(), &[peter()]).unwrap();
    assert_eq!(n.text, TEXT);
    assert_eq!(n.verified.len(), 1);
    assert_eq!(n.verified[0].name, "PeterNeumann");
    assert_eq!(n.verified[0].key_id, 0xc74f20a3);
    assert_eq!(n.unverified.len(), 1);
    assert_eq!(n.unverified[0].key_id, 0xaf0cfe78);
    // Both verified (Enoch's signature was produced by Go).
    let n = open_note(msg.as_bytes(), &[peter(), enoch()]).unwrap();
    assert_eq!(n.verified.len(), 2);
    assert!(n.unverified.is_empty());
    // No trusted key.
    assert_eq!(
        open_note(msg.as_bytes(), &[]),
        Err(NoteError::NoVerifiedSignature)
    );
    // Duplicate identical verifiers are fine.
    assert!(open_note(msg.as_bytes(), &[peter(), peter()]).is_ok());
    // Too many signatures.
    let many = format!("{TEXT}\n{}", PETER_SIG.repeat(101));
    assert!(matches!(
        open_note(many.as_bytes(), &[peter()]),
        Err(NoteError::Malformed(_))
    ));
    // Duplicate signatures by one key are accepted once.
    let dup = format!("{TEXT}\n{PETER_SIG}{PETER_SIG}");
    assert_eq!(
        open_note(dup.as_bytes(), &[peter()])
            .unwrap()
            .verified
            .len(),
        1
    );
    // Invalid signature from a known key rejects the whole note.
    let bad = format!("{TEXT}\n{}ABCD{}", &PETER_SIG[..60], &PETER_SIG[60..]);
    assert_eq!(
        open_note(bad.as_bytes(), &[peter()]),
        Err(NoteError::InvalidSignature {
            name: "PeterNeumann".into(),
            key_id: 0xc74f20a3
        })
    );
    // ... even if another trusted signature verifies.
    let bad = format!(
        "{TEXT}\n{PETER_SIG}{}ABCD{}",
        &ENOCH_SIG[..60],
        &ENOCH_SIG[60..]
    );
    assert!(open_note(bad.as_bytes(), &[peter(), enoch()]).is_err());
    assert!(open_note(bad.as_bytes(), &[peter()]).is_ok());
}

#[test]
fn go_malformed_notes() {
    let bad_msgs = [
        TEXT.to_string(),
        format!("{TEXT}\n"),
        format!("{TEXT}\n{}", &PETER_SIG[..PETER_SIG.len() - 1]),
        format!("\x01{TEXT}\n{PETER_SIG}"),
        format!(
            "{TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
        ),
        format!("{TEXT}\n{PETER_SIG}Unexpected line.\n"),
        format!(
            "{TEXT}\n-- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
        ),
        format!("{TEXT}\n— PeterNeumann x08g\n"),
    ];
    for m in &bad_msgs {
        assert!(
            matches!(
                open_note(m.as_bytes(), &[peter()]),
                Err(NoteError::Malformed(_))
            ),
            "accepted {m:?}"
        );
    }
    let mut invalid_utf8 = b"\xff".to_vec();
    invalid_utf8.extend_from_slice(format!("{TEXT}\n{PETER_SIG}").as_bytes());
    assert!(matches!(
        Note::parse(&invalid_utf8),
        Err(NoteError::Malformed(_))
    ));
    // Signing rejects bad text.
    let kp = KeyPair::from_skey(PETER_SKEY).unwrap();
    assert!(sign_note("abc", &[&kp]).is_err());
    assert!(sign_note("", &[&kp]).is_err());
    assert!(sign_note("a\x01b\n", &[&kp]).is_err());
    assert!(sign_note("abc\n", &[]).is_err());
}

#[test]
fn go_vkey_manglings_rejected() {
    assert!(Verifier::from_vkey(PETER_VKEY).is_ok());
    let b = PETER_VKEY.as_bytes();
    for i in 0..=b.len() {
        for j in i + 1..=b.len() {
            if i == 0 && j == b.len() {
                continue;
            }
            let s = String::from_utf8_lossy(&b[i..j]);
            assert!(Verifier::from_vkey(&s).is_err(), "accepted {s:?}");
        }
    }
    for i in 0..b.len() {
        let mut m = b.to_vec();
        m[i] += 1;
        let s = String::from_utf8_lossy(&m);
        assert!(Verifier::from_vkey(&s).is_err(), "accepted {s:?}");
    }
    // Wrong length key with adjusted hash; unknown algorithm with adjusted hash.
    assert!(
        Verifier::from_vkey(
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="
        )
        .is_err()
    );
    assert!(matches!(
        Verifier::from_vkey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        Err(KeyError::UnsupportedAlgorithm(_))
    ));
}

#[test]
fn go_skey_manglings_rejected() {
    let b = PETER_SKEY.as_bytes();
    for i in 0..=b.len() {
        for j in i + 1..=b.len() {
            if i == 0 && j == b.len() {
                continue;
            }
            let s = String::from_utf8_lossy(&b[i..j]);
            assert!(KeyPair::from_skey(&s).is_err(), "accepted {s:?}");
        }
    }
    for i in 0..b.len() {
        let mut m = b.to_vec();
        m[i] += 1;
        let s = String::from_utf8_lossy(&m);
        assert!(KeyPair::from_skey(&s).is_err(), "accepted {s:?}");
    }
}

/// Real checkpoints served by sum.golang.org, verified with the key that is
/// compiled into the Go toolchain. Nothing about them was produced here.
#[test]
fn real_sum_golang_org_checkpoints() {
    let v =
        Verifier::from_vkey("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8")
            .unwrap();
    let cps = [
        (
            "go.sum database tree\n30055305\nmXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM=\n\n— sum.golang.org Az3grpgEild5qw7+5dtV13Kf1C2Xurm8q4fhdxvcsDHnqNTaxL2AFjBY+2TyGKevucFcAAlWFJJYle3EJlDCrQ+y3A8=\n",
            30055305,
        ),
        (
            "go.sum database tree\n63512409\nF7eHRPqN/cqPtqti14NKdGGaI1Giw8coWP3KxihFZbg=\n\n— sum.golang.org Az3gri1OBHKT87Xj8UXU8zjoHGy/X+7Nl94f8TZkELVaasolmGApUsWqwVG9vE6hgqYb/ph/w2vdkLIVRH7bMB/FPQ4=\n",
            63512409,
        ),
    ];
    for (note, size) in cps {
        let cp = verify_checkpoint_for_origin(
            note.as_bytes(),
            "go.sum database tree",
            std::slice::from_ref(&v),
        )
        .unwrap()
        .checkpoint;
        assert_eq!(cp.size, size);
        assert!(cp.extensions.is_empty());
        // Any change of the size line breaks the signature.
        let forged = note.replacen(&size.to_string(), &(size + 1).to_string(), 1);
        assert!(matches!(
            verify_checkpoint(forged.as_bytes(), std::slice::from_ref(&v)),
            Err(CheckpointError::Note(NoteError::InvalidSignature { .. }))
        ));
    }
}

fn signed_checkpoint(key: &KeyPair, n: u64) -> (tempfile::TempDir, Ledger, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(dir.path().join("l.db")).unwrap();
    let items: Vec<Vec<u8>> = (0..n)
        .map(|i| format!("receipt {i}").into_bytes())
        .collect();
    l.append_batch(&items).unwrap();
    let note = l.checkpoint(key.name()).sign(key).unwrap();
    (dir, l, note)
}

#[test]
fn checkpoint_round_trip_and_proofs() {
    let key = KeyPair::generate("writ.example/ledger").unwrap();
    let (_d, l, note) = signed_checkpoint(&key, 13);
    assert!(note.starts_with("writ.example/ledger\n13\n"));
    assert!(note.contains("\n\n\u{2014} writ.example/ledger "));
    let v = Verifier::from_vkey(&key.vkey()).unwrap();
    let vc = verify_checkpoint(note.as_bytes(), &[v]).unwrap();
    let cp = vc.checkpoint;
    assert_eq!(cp.size, 13);
    assert_eq!(cp.root, l.root(13).unwrap());
    assert_eq!(vc.note.verified[0].key_id, key.key_id());
    let proof = l.inclusion_proof(5, 13).unwrap();
    cp.verify_inclusion(&leaf_hash(b"receipt 5"), 5, &proof)
        .unwrap();
    assert!(
        cp.verify_inclusion(&leaf_hash(b"receipt 6"), 5, &proof)
            .is_err()
    );
    let old = Checkpoint::new("writ.example/ledger", 4, l.root(4).unwrap());
    cp.verify_consistency_from(&old, &l.consistency_proof(4, 13).unwrap())
        .unwrap();
    // Body round trip with extension lines.
    let mut ext = cp.clone();
    ext.extensions = vec!["ext one".into(), "— two".into()];
    assert_eq!(Checkpoint::parse_body(&ext.body()).unwrap(), ext);
    let signed = ext.sign(&key).unwrap();
    assert_eq!(
        verify_checkpoint(signed.as_bytes(), &[key.verifier()])
            .unwrap()
            .checkpoint,
        ext
    );
    assert!(matches!(
        verify_checkpoint_for_origin(signed.as_bytes(), "other", &[key.verifier()]),
        Err(CheckpointError::WrongOrigin { .. })
    ));
}

#[test]
fn tampering_with_any_byte_is_rejected() {
    let key = KeyPair::generate("writ.example/ledger").unwrap();
    let (_d, _l, note) = signed_checkpoint(&key, 9);
    let v = key.verifier();
    let original = verify_checkpoint(note.as_bytes(), std::slice::from_ref(&v))
        .unwrap()
        .checkpoint;
    let bytes = note.as_bytes();
    for i in 0..bytes.len() {
        for bit in [0x01u8, 0x20, 0x80] {
            let mut m = bytes.to_vec();
            m[i] ^= bit;
            if let Ok(vc) = verify_checkpoint(&m, std::slice::from_ref(&v)) {
                panic!(
                    "tampered byte {i} (^{bit:#x}) accepted: {:?} vs {original:?}",
                    vc.checkpoint
                );
            }
        }
    }
    // Truncations and extensions.
    for cut in 1..bytes.len() {
        assert!(verify_checkpoint(&bytes[..cut], std::slice::from_ref(&v)).is_err());
    }
    // An extra signature from an unknown key is ignored (that is how
    // witnesses cosign), but reported as unverified.
    let extended = format!("{note}— witness.example AAAAAAAA\n");
    let vc = verify_checkpoint(extended.as_bytes(), std::slice::from_ref(&v)).unwrap();
    assert_eq!(vc.checkpoint, original);
    assert_eq!(vc.note.unverified.len(), 1);
    // A malformed extra line is not.
    let extended = format!("{note}— witness.example AAAA\n");
    assert!(verify_checkpoint(extended.as_bytes(), std::slice::from_ref(&v)).is_err());
    let extended = format!("{note}trailing\n");
    assert!(verify_checkpoint(extended.as_bytes(), std::slice::from_ref(&v)).is_err());
}

#[test]
fn wrong_keys_are_rejected() {
    let key = KeyPair::generate("writ.example/ledger").unwrap();
    let (_d, _l, note) = signed_checkpoint(&key, 3);
    // A different key under the same name has a different key id: ignored.
    let other = KeyPair::generate("writ.example/ledger").unwrap();
    assert_eq!(
        verify_checkpoint(note.as_bytes(), &[other.verifier()]),
        Err(CheckpointError::Note(NoteError::NoVerifiedSignature))
    );
    // The same key material under another name: different name and id.
    let seed = KeyPair::from_skey(&key.skey()).unwrap();
    let renamed_vkey = {
        let v = Verifier::from_public_key("writ.example/other", seed.verifying_key()).unwrap();
        v.vkey()
    };
    let renamed = Verifier::from_vkey(&renamed_vkey).unwrap();
    assert!(verify_checkpoint(note.as_bytes(), &[renamed]).is_err());
    // Key id in the vkey altered: rejected at parse time.
    let vkey = key.vkey();
    let mut parts: Vec<&str> = vkey.splitn(3, '+').collect();
    let wrong_id = format!("{:08x}", key.key_id() ^ 1);
    parts[1] = &wrong_id;
    assert!(matches!(
        Verifier::from_vkey(&parts.join("+")),
        Err(KeyError::KeyIdMismatch { .. })
    ));
    // Signature line renamed to the verifier's name but other key id.
    let forged = note.replace("— writ.example/ledger ", "— writ.example/ledgerX ");
    assert!(verify_checkpoint(forged.as_bytes(), &[key.verifier()]).is_err());
}

#[test]
fn key_rotation() {
    let old = KeyPair::generate("writ.example/ledger").unwrap();
    let new = KeyPair::generate("writ.example/ledger").unwrap();
    let cp = Checkpoint::new("writ.example/ledger", 1, leaf_hash(b"x"));
    let by_old = cp.sign(&old).unwrap();
    let by_new = cp.sign(&new).unwrap();
    let both = cp.sign_with(&[&old, &new]).unwrap();
    let trusted = [old.verifier(), new.verifier()];
    for n in [&by_old, &by_new, &both] {
        assert_eq!(
            verify_checkpoint(n.as_bytes(), &trusted)
                .unwrap()
                .checkpoint,
            cp
        );
    }
    assert!(verify_checkpoint(by_old.as_bytes(), &[old.verifier()]).is_ok());
    assert!(verify_checkpoint(by_old.as_bytes(), &[new.verifier()]).is_err());
    let vb = verify_checkpoint(both.as_bytes(), &[new.verifier()]).unwrap();
    assert_eq!(vb.note.verified.len(), 1);
    assert_eq!(vb.note.unverified.len(), 1);
}

#[test]
fn checkpoint_body_parsing() {
    let root = base64_root();
    let good = format!("o\n0\n{root}\n");
    assert!(Checkpoint::parse_body(&good).is_ok());
    for bad in [
        format!("o\n01\n{root}\n"),
        format!("o\n-1\n{root}\n"),
        format!("o\n+1\n{root}\n"),
        format!("o\n\n{root}\n"),
        format!("o\n1a\n{root}\n"),
        format!("o\n18446744073709551616\n{root}\n"),
        "o\n1\nAAAA\n".to_string(),
        format!("\n1\n{root}\n"),
        format!("o\n1\n{root}"),
        format!("o\n1\n{root}\n\nx\n"),
        "o\n1\n".to_string(),
    ] {
        assert!(Checkpoint::parse_body(&bad).is_err(), "accepted {bad:?}");
    }
}

fn base64_root() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode([7u8; 32])
}

#[test]
fn key_names() {
    assert!(is_valid_key_name("writ.example/ledger"));
    for bad in ["", "a b", "a+b", "a\tb", "a\u{00a0}b"] {
        assert!(!is_valid_key_name(bad));
        assert!(matches!(
            KeyPair::generate(bad),
            Err(KeyError::InvalidName(_))
        ));
    }
}

#[test]
fn key_files() {
    let dir = tempfile::tempdir().unwrap();
    let kdir = dir.path().join("keys");
    let key = KeyPair::generate("writ.example/ledger").unwrap();
    let path = key.save(&kdir).unwrap();
    assert_eq!(path, kdir.join(SKEY_FILE));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(
        std::fs::read_to_string(kdir.join(VKEY_FILE)).unwrap(),
        format!("{}\n", key.vkey())
    );
    let loaded = KeyPair::load(&kdir).unwrap();
    assert_eq!(loaded.vkey(), key.vkey());
    assert_eq!(loaded.skey(), key.skey());
    assert!(format!("{loaded:?}").find(&key.skey()).is_none());
    // No overwrite.
    assert!(matches!(
        KeyPair::generate("x").unwrap().save(&kdir),
        Err(KeyError::AlreadyExists(_))
    ));
    // Public key file that does not match.
    std::fs::write(
        kdir.join(VKEY_FILE),
        KeyPair::generate("writ.example/ledger").unwrap().vkey(),
    )
    .unwrap();
    assert!(matches!(KeyPair::load(&kdir), Err(KeyError::VkeyMismatch)));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            KeyPair::load(&kdir),
            Err(KeyError::InsecurePermissions { .. })
        ));
    }
}

#[test]
fn signer_handle_signs_arbitrary_bytes() {
    use writ_ledger::ed25519_dalek::{Signer, Verifier as _};
    let key = KeyPair::generate("writ.example/ledger").unwrap();
    let msg = b"DSSEv1 28 application/vnd.in-toto+json 2 {}";
    let sig = key.try_sign(msg).unwrap();
    assert_eq!(sig, key.sign(msg));
    key.verifying_key().verify(msg, &sig).unwrap();
    assert!(key.verifier().verify(msg, &sig.to_bytes()));
    assert!(!key.verifier().verify(b"other", &sig.to_bytes()));
    assert!(!key.verifier().verify(msg, &[0u8; 10]));
}
