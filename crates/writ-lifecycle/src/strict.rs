//! Ed25519 verification that accepts exactly what
//! `VerifyingKey::verify_strict` accepts, with less work per signature.
//!
//! `verify_strict` decompresses the signature's `R`, rejects it (or the
//! key) when of small order, recomputes `R' = [s]B - [k]A` and compares
//! encodings. Here `R'` is computed first, from tables for `B` and `-A`
//! built once per trusted key, and the signature is accepted iff `R'`
//! encodes to the given `R` bytes and is not of small order. That is the
//! same condition: when the encodings are equal, `R` decompresses to `R'`
//! (encodings are canonical), so `R` is of small order iff `R'` is; when
//! they differ, `verify_strict` rejects too. `s` must be canonical and a
//! key of small order verifies nothing, as there. The tests compare both
//! on valid, mutated, non-canonical and small-order signatures.

use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::VartimeEdwardsPrecomputation;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimePrecomputedMultiscalarMul;
use ed25519_dalek::{Signature, VerifyingKey};
use sha2::{Digest, Sha512};

/// A trusted key prepared for [`StrictKey::verify`].
pub struct StrictKey {
    key: VerifyingKey,
    /// A key of small order verifies nothing (`verify_strict` rejects it).
    weak: bool,
    /// Precomputed multiples of `B` and `-A`.
    table: VartimeEdwardsPrecomputation,
}

impl std::fmt::Debug for StrictKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StrictKey")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl StrictKey {
    pub fn new(key: VerifyingKey) -> StrictKey {
        let point = key.to_edwards();
        StrictKey {
            key,
            weak: point.is_small_order(),
            table: VartimeEdwardsPrecomputation::new([ED25519_BASEPOINT_POINT, -point]),
        }
    }

    pub fn key(&self) -> &VerifyingKey {
        &self.key
    }

    /// Whether `signature` is valid for the concatenation of `message`'s
    /// parts, with `verify_strict`'s acceptance.
    pub fn verify(&self, message: &[&[u8]], signature: &Signature) -> bool {
        if self.weak {
            return false;
        }
        let r = signature.r_bytes();
        let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(*signature.s_bytes()))
        else {
            return false;
        };
        let mut h = Sha512::new();
        h.update(r);
        h.update(self.key.as_bytes());
        for part in message {
            h.update(part);
        }
        let k = Scalar::from_hash(h);
        let expected = self.table.vartime_multiscalar_mul([s, k]);
        expected.compress().as_bytes() == r && !expected.is_small_order()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use curve25519_dalek::constants::EIGHT_TORSION;
    use curve25519_dalek::edwards::CompressedEdwardsY;
    use ed25519_dalek::hazmat::ExpandedSecretKey;
    use ed25519_dalek::{Signer as _, SigningKey};
    use proptest::prelude::*;

    fn agree(key: &VerifyingKey, message: &[u8], signature: &Signature) -> bool {
        let strict = key.verify_strict(message, signature).is_ok();
        let (a, b) = message.split_at(message.len() / 3);
        let fast = StrictKey::new(*key).verify(&[a, b], signature);
        assert_eq!(fast, strict, "{signature:?} {message:?}");
        fast
    }

    /// `s + l` (the same scalar, not canonical) when it fits in 256 bits.
    fn plus_order(s: &[u8; 32]) -> [u8; 32] {
        const L: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        let mut out = [0u8; 32];
        let mut carry = 0u16;
        for i in 0..32 {
            let sum = u16::from(s[i]) + u16::from(L[i]) + carry;
            out[i] = sum as u8;
            carry = sum >> 8;
        }
        out
    }

    /// A signature by `seed`'s key whose `R` is shifted by a torsion point.
    fn torsion_signature(seed: &[u8; 32], message: &[u8], t: usize) -> Signature {
        let expanded = ExpandedSecretKey::from(seed);
        let key = SigningKey::from_bytes(seed).verifying_key();
        let r = Scalar::from_bytes_mod_order([9u8; 32]);
        let big_r = (ED25519_BASEPOINT_POINT * r + EIGHT_TORSION[t]).compress();
        let mut h = Sha512::new();
        h.update(big_r.as_bytes());
        h.update(key.as_bytes());
        h.update(message);
        let k = Scalar::from_hash(h);
        let s = r + k * expanded.scalar;
        Signature::from_components(big_r.to_bytes(), s.to_bytes())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn accepts_exactly_what_verify_strict_accepts(
            seed in any::<[u8; 32]>(),
            message in prop::collection::vec(any::<u8>(), 0..200),
            flip in 0usize..64,
            bit in 0u8..8,
            t in 1usize..8,
        ) {
            let signing = SigningKey::from_bytes(&seed);
            let key = signing.verifying_key();
            let good = signing.sign(&message);
            prop_assert!(agree(&key, &message, &good));
            let mut bytes = good.to_bytes();
            bytes[flip] ^= 1 << bit;
            prop_assert!(!agree(&key, &message, &Signature::from_bytes(&bytes)));
            let mut other = message.clone();
            other.push(0);
            prop_assert!(!agree(&key, &other, &good));
            let s = plus_order(good.s_bytes());
            prop_assert!(!agree(&key, &message, &Signature::from_components(*good.r_bytes(), s)));
            prop_assert!(!agree(&key, &message, &torsion_signature(&seed, &message, t)));
        }
    }

    #[test]
    fn small_order_and_non_canonical_points_are_refused() {
        let signing = SigningKey::from_bytes(&[3u8; 32]);
        let key = signing.verifying_key();
        let message = b"m";
        let good = signing.sign(message);
        // Small-order R (all eight torsion points), and non-canonical encodings.
        let mut rs: Vec<[u8; 32]> = EIGHT_TORSION
            .iter()
            .map(|t| t.compress().to_bytes())
            .collect();
        let mut y_is_p_plus_one = [0xff; 32];
        y_is_p_plus_one[0] = 0xee;
        y_is_p_plus_one[31] = 0x7f;
        rs.push(y_is_p_plus_one);
        let mut sign_bit = *good.r_bytes();
        sign_bit[31] ^= 0x80;
        rs.push(sign_bit);
        for r in rs {
            let sig = Signature::from_components(r, *good.s_bytes());
            assert!(!agree(&key, message, &sig));
        }
        // R the identity and s = k·a: the equation holds, R is of small order.
        let identity = EIGHT_TORSION[0].compress();
        let mut h = Sha512::new();
        h.update(identity.as_bytes());
        h.update(key.as_bytes());
        h.update(message);
        let s = Scalar::from_hash(h) * ExpandedSecretKey::from(&[3u8; 32]).scalar;
        let sig = Signature::from_components(identity.to_bytes(), s.to_bytes());
        assert!(!agree(&key, message, &sig));
        let fast = StrictKey::new(key);
        let expected = ED25519_BASEPOINT_POINT * s
            - key.to_edwards() * {
                let mut h = Sha512::new();
                h.update(identity.as_bytes());
                h.update(key.as_bytes());
                h.update(message);
                Scalar::from_hash(h)
            };
        assert_eq!(expected.compress(), identity, "the equation holds");
        assert!(!fast.verify(&[message], &sig));
        // Keys of small order verify nothing, even signatures that satisfy the equation.
        let mut weak_keys = 0;
        for t in EIGHT_TORSION.iter() {
            let Ok(weak) = VerifyingKey::from_bytes(&t.compress().to_bytes()) else {
                continue;
            };
            weak_keys += 1;
            let r = CompressedEdwardsY(ED25519_BASEPOINT_POINT.compress().to_bytes());
            for s in [Scalar::ONE, Scalar::ZERO] {
                let sig = Signature::from_components(r.to_bytes(), s.to_bytes());
                assert!(!agree(&weak, message, &sig));
            }
            assert!(!agree(&weak, message, &good));
        }
        assert!(weak_keys > 0);
        assert!(agree(&key, message, &good));
    }
}
