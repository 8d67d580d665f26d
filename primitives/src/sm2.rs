//! SM2 signatures, China's national standard (GB/T 32918.2, digest SM3 per GB/T 32905).
//!
//! A signature covers `SM3(Z || message)`, where `Z` binds the signer's public key and the
//! standard's default user id `1234567812345678`: any GB/T 32918 implementation that keeps
//! the default id makes signatures this chain accepts.
//!
//! Verifying costs about 4 ms inside wasm and about 0.5 ms natively, so the runtime verifies
//! through the [`guomi::sm2_verify`] host function, which the node registers in its executor
//! ([`HostFunctions`]).
//!
//! SM2 signatures cannot be recovered to a public key (unlike ecdsa), so a transaction's SM2
//! signature carries its public key, and the account is derived from it by [`account_id`].

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	sp_core::crypto::{AccountId32, ByteArray},
	sp_io::hashing::blake2_256,
};
use scale_info::TypeInfo;
use sp_runtime_interface::{
	pass_by::{PassFatPointerAndRead, PassPointerAndRead},
	runtime_interface,
};

/// Length of a compressed SEC1 public key: a sign byte (2 or 3) and the x coordinate.
pub const PUBLIC_LEN: usize = 33;
/// Length of a signature: `r` and `s`, 32 bytes each, big-endian.
pub const SIGNATURE_LEN: usize = 64;
/// GB/T 32918's default distinguishing identifier, hashed into every signature.
pub const DEFAULT_USER_ID: &str = "1234567812345678";
/// What is hashed before an SM2 public key to make its account, so that an SM2 key and a key
/// of another scheme with the same bytes never share an account.
pub const ACCOUNT_DOMAIN: &[u8] = b"sm2:";

/// Fixed-length key and signature bytes, with what `sp_core`'s crypto traits ask of them.
macro_rules! crypto_bytes {
	($(#[$doc:meta])* $name:ident, $len:expr) => {
		$(#[$doc])*
		#[derive(
			Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode,
			DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
		)]
		pub struct $name(pub [u8; $len]);

		impl From<[u8; $len]> for $name {
			fn from(bytes: [u8; $len]) -> Self {
				Self(bytes)
			}
		}

		impl TryFrom<&[u8]> for $name {
			type Error = ();
			fn try_from(bytes: &[u8]) -> Result<Self, ()> {
				bytes.try_into().map(Self).map_err(|_| ())
			}
		}

		impl AsRef<[u8]> for $name {
			fn as_ref(&self) -> &[u8] {
				&self.0
			}
		}

		impl AsMut<[u8]> for $name {
			fn as_mut(&mut self) -> &mut [u8] {
				&mut self.0
			}
		}

		impl ByteArray for $name {
			const LEN: usize = $len;
		}

		impl core::fmt::Debug for $name {
			fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
				write!(f, "0x")?;
				self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
			}
		}
	};
}

crypto_bytes!(
	/// An SM2 public key, SEC1-compressed.
	Public,
	PUBLIC_LEN
);
crypto_bytes!(
	/// An SM2 signature, `r || s`.
	Signature,
	SIGNATURE_LEN
);

/// The account an SM2 key controls: `blake2_256("sm2:" || compressed public key)`.
pub fn account_id(public: &Public) -> AccountId32 {
	let mut preimage = [0u8; ACCOUNT_DOMAIN.len() + PUBLIC_LEN];
	preimage[..ACCOUNT_DOMAIN.len()].copy_from_slice(ACCOUNT_DOMAIN);
	preimage[ACCOUNT_DOMAIN.len()..].copy_from_slice(public.as_ref());
	blake2_256(&preimage).into()
}

/// 国密 (guomi), China's commercial cryptography standards, as host functions: the runtime
/// calls them, the node runs them natively.
#[runtime_interface]
pub trait Guomi {
	/// Whether `signature` is `public`'s SM2 signature of `message` under the default user id.
	/// A malformed key or signature is simply not valid.
	fn sm2_verify(
		signature: PassPointerAndRead<&Signature, SIGNATURE_LEN>,
		message: PassFatPointerAndRead<&[u8]>,
		public: PassPointerAndRead<&Public, PUBLIC_LEN>,
	) -> bool {
		native::verify(signature, message, public)
	}
}

#[cfg(feature = "std")]
pub use native::{Pair, Seed};

#[cfg(feature = "std")]
mod native {
	use super::*;
	use polkadot_sdk::sp_core::crypto::{
		CryptoType, DeriveError, DeriveJunction, Pair as TraitPair, SecretStringError,
	};
	use sm2::{
		dsa::{
			signature::{Signer as _, Verifier as _},
			SigningKey, VerifyingKey,
		},
		elliptic_curve::sec1::ToEncodedPoint,
		SecretKey,
	};

	/// The secret seed of a pair: the private scalar, big-endian.
	pub type Seed = [u8; 32];

	/// SM2 verification costs about ten times sr25519's, so repeats are answered from the
	/// node's cache of signatures that held ([`crate::verified`]).
	pub(super) fn verify(signature: &Signature, message: &[u8], public: &Public) -> bool {
		crate::verified::cache::verify(crate::Scheme::Sm2, &signature.0, &public.0, message, || {
			verify_uncached(signature, message, public)
		})
	}

	pub(super) fn verify_uncached(signature: &Signature, message: &[u8], public: &Public) -> bool {
		let Ok(key) = VerifyingKey::from_sec1_bytes(DEFAULT_USER_ID, public.as_ref()) else {
			return false;
		};
		let Ok(signature) = sm2::dsa::Signature::from_slice(signature.as_ref()) else {
			return false;
		};
		key.verify(message, &signature).is_ok()
	}

	/// An SM2 key pair. As an `sp_core` pair it has what the other schemes have: mnemonics
	/// (BIP39), `//hard` derivation and dev seeds such as `//Alice`.
	#[derive(Clone)]
	pub struct Pair {
		secret: SigningKey,
		seed: Seed,
	}

	impl Pair {
		/// The private scalar, big-endian: what the wallet stores and exports.
		pub fn seed(&self) -> Seed {
			self.seed
		}
	}

	/// Hard derivation hashes the parent seed with the junction, as ecdsa does in `sp_core`,
	/// under a tag of its own.
	fn derive_hard_junction(seed: &Seed, chain_code: &[u8; 32]) -> Seed {
		use codec::Encode;
		("SM2HDKD", seed, chain_code).using_encoded(blake2_256)
	}

	impl TraitPair for Pair {
		type Public = Public;
		type Seed = Seed;
		type Signature = Signature;
		type ProofOfPossession = Signature;

		/// A seed is the private scalar; a zero or out-of-range one is refused (about one
		/// random 32-byte string in 2^32).
		fn from_seed_slice(seed: &[u8]) -> Result<Self, SecretStringError> {
			let seed: Seed = seed.try_into().map_err(|_| SecretStringError::InvalidSeedLength)?;
			let key = SecretKey::from_slice(&seed).map_err(|_| SecretStringError::InvalidSeed)?;
			let secret = SigningKey::new(DEFAULT_USER_ID, &key)
				.map_err(|_| SecretStringError::InvalidSeed)?;
			Ok(Self { secret, seed })
		}

		fn derive<Iter: Iterator<Item = DeriveJunction>>(
			&self,
			path: Iter,
			_seed: Option<Seed>,
		) -> Result<(Self, Option<Seed>), DeriveError> {
			let mut seed = self.seed;
			for junction in path {
				match junction {
					DeriveJunction::Soft(_) => return Err(DeriveError::SoftKeyInPath),
					DeriveJunction::Hard(chain_code) =>
						seed = derive_hard_junction(&seed, &chain_code),
				}
			}
			// A derived seed out of the scalar range is as unlikely as a random one.
			let pair = Self::from_seed_slice(&seed).map_err(|_| DeriveError::SoftKeyInPath)?;
			Ok((pair, Some(seed)))
		}

		fn public(&self) -> Public {
			let point = self.secret.verifying_key().as_affine().to_encoded_point(true);
			Public::try_from(point.as_bytes()).expect("a compressed point is 33 bytes")
		}

		/// Deterministic (RFC 6979 nonces), under the default user id.
		fn sign(&self, message: &[u8]) -> Signature {
			let signature: sm2::dsa::Signature = self.secret.sign(message);
			Signature(signature.to_bytes())
		}

		fn verify<M: AsRef<[u8]>>(signature: &Signature, message: M, public: &Public) -> bool {
			verify(signature, message.as_ref(), public)
		}

		fn to_raw_vec(&self) -> Vec<u8> {
			self.seed.to_vec()
		}
	}

	impl CryptoType for Public {
		type Pair = Pair;
	}

	impl polkadot_sdk::sp_core::crypto::Derive for Public {}
	impl polkadot_sdk::sp_core::crypto::Public for Public {}
	impl polkadot_sdk::sp_core::crypto::Signature for Signature {}

	impl CryptoType for Signature {
		type Pair = Pair;
	}

	impl CryptoType for Pair {
		type Pair = Pair;
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use hex_literal::hex;
	use polkadot_sdk::sp_core::crypto::Pair as _;
	use sm3::{Digest, Sm3};

	/// GB/T 32905-2016, appendix A: examples 1 and 2.
	#[test]
	fn sm3_matches_the_standard() {
		assert_eq!(
			Sm3::digest(b"abc")[..],
			hex!("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
		);
		assert_eq!(
			Sm3::digest(b"abcd".repeat(16))[..],
			hex!("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
		);
	}

	/// The signing example on the recommended curve (GM/T 0003.5-2012, as GB/T 32918.5):
	/// private key, public key, message "message digest", default user id, and (r, s).
	const SECRET: [u8; 32] = hex!("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8");
	const PUBLIC_X: [u8; 32] = hex!("09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020");
	const PUBLIC_Y_ODD: bool = true; // y = CCEA...AD13 ends in an odd byte
	const MESSAGE: &[u8] = b"message digest";
	const R: [u8; 32] = hex!("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3");
	const S: [u8; 32] = hex!("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA");

	fn standard_signature() -> Signature {
		let mut bytes = [0u8; SIGNATURE_LEN];
		bytes[..32].copy_from_slice(&R);
		bytes[32..].copy_from_slice(&S);
		Signature(bytes)
	}

	#[test]
	fn the_standard_example_verifies() {
		let pair = Pair::from_seed(&SECRET);
		let public = pair.public();
		assert_eq!(public.0[0], if PUBLIC_Y_ODD { 3 } else { 2 });
		assert_eq!(public.0[1..], PUBLIC_X);
		assert!(guomi::sm2_verify(&standard_signature(), MESSAGE, &public));
	}

	#[test]
	fn a_tampered_message_signature_or_key_fails() {
		let public = Pair::from_seed(&SECRET).public();
		let signature = standard_signature();
		assert!(!guomi::sm2_verify(&signature, b"message digesT", &public));

		let mut flipped = signature;
		flipped.0[63] ^= 1;
		assert!(!guomi::sm2_verify(&flipped, MESSAGE, &public));

		let other = Pair::from_string("//Bob", None).unwrap().public();
		assert!(!guomi::sm2_verify(&signature, MESSAGE, &other));
		// Still valid from the cache, and still invalid for a tampered copy.
		assert!(guomi::sm2_verify(&signature, MESSAGE, &public));
		assert!(!guomi::sm2_verify(&flipped, MESSAGE, &public));
		assert!(native::verify_uncached(&signature, MESSAGE, &public));
		// Bytes that are no point on the curve are invalid, not a panic.
		assert!(!guomi::sm2_verify(&signature, MESSAGE, &Public([0xff; PUBLIC_LEN])));
	}

	#[test]
	fn pairs_sign_derive_and_restore_from_mnemonics() {
		let (pair, phrase, _) = Pair::generate_with_phrase(None);
		let restored = Pair::from_phrase(&phrase, None).unwrap().0;
		assert_eq!(pair.public(), restored.public());

		let signature = pair.sign(b"payload");
		assert!(Pair::verify(&signature, b"payload", &pair.public()));
		assert_eq!(signature, pair.sign(b"payload"), "RFC 6979 nonces are deterministic");

		let alice = Pair::from_string("//Alice", None).unwrap();
		let alice_stash = Pair::from_string("//Alice//stash", None).unwrap();
		assert_ne!(alice.public(), alice_stash.public());
		assert!(Pair::from_string("/soft", None).is_err(), "SM2 has no soft derivation");
	}

	#[test]
	fn the_account_is_the_domain_separated_hash_of_the_key() {
		let public = Pair::from_seed(&SECRET).public();
		let mut preimage = b"sm2:".to_vec();
		preimage.extend_from_slice(public.as_ref());
		assert_eq!(account_id(&public), AccountId32::from(blake2_256(&preimage)));
	}
}
