//! Signature verification that remembers which signatures held.
//!
//! A node verifies each transaction's signature several times: when the pool admits it, each
//! time the pool revalidates it after a block, and when it builds or imports the block that
//! includes it (a validator that received the transaction by gossip has already verified it).
//! The node keeps the digests of signatures that verified lately, as Bitcoin Core's signature
//! cache does, and answers a repeat from memory. Verification is a pure function of signature,
//! key and message, so the answer is the same with or without the cache: only successes are
//! kept, under the blake2-256 of the scheme, signature, key and message. The scheme is in the
//! digest so that the same bytes under two schemes are never taken for each other.
//!
//! The runtime reaches the cache through the [`signatures`] host functions for sr25519 and
//! ed25519 (they verify exactly as `sp_io::crypto`'s do on a node without the `UseDalekExt`
//! extension, which this node never registers) and through SM2's own host function.
//! ECDSA goes through `sp_io`'s key recovery as before: the chain's transfers are not signed
//! with it by default, and recovery is a different question from verification.
//!
//! A node importing a block whose transactions it has not seen checks their signatures through
//! [`SignatureCheckApi`] on a second core while the block executes; the check does less per
//! transaction, so execution mostly finds the answers in the cache.

use crate::Scheme;
use polkadot_sdk::{
	sp_core::{ed25519, sr25519},
	sp_runtime::traits::Block as BlockT,
};
use sp_runtime_interface::{
	pass_by::{PassFatPointerAndRead, PassPointerAndRead},
	runtime_interface,
};

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Signature checks ahead of block execution.
	pub trait SignatureCheckApi {
		/// Checks the signatures of the extrinsics of the block with `header`, called at its
		/// parent, as the block's execution will: it initialises the block (the signed payload
		/// of a transaction born at the parent names the parent's hash, which initialisation
		/// records), then builds each signed payload and verifies it, which leaves those that
		/// hold in the node's cache. Returns how many held. Nothing it writes is kept.
		fn check_signatures(
			header: <Block as BlockT>::Header,
			extrinsics: alloc::vec::Vec<<Block as BlockT>::Extrinsic>,
		) -> u32;
	}
}

/// sr25519 and ed25519 verification through the node's cache.
#[runtime_interface]
pub trait Signatures {
	/// Whether `signature` is `public`'s sr25519 signature of `message`, as
	/// `sp_io::crypto::sr25519_verify` answers it.
	fn sr25519_verify(
		signature: PassPointerAndRead<&sr25519::Signature, 64>,
		message: PassFatPointerAndRead<&[u8]>,
		public: PassPointerAndRead<&sr25519::Public, 32>,
	) -> bool {
		use polkadot_sdk::sp_core::Pair as _;
		cache::verify(Scheme::Sr25519, &signature.0, &public.0, message, || {
			sr25519::Pair::verify(signature, message, public)
		})
	}

	/// Whether `signature` is `public`'s ed25519 signature of `message`, as
	/// `sp_io::crypto::ed25519_verify` answers it.
	fn ed25519_verify(
		signature: PassPointerAndRead<&ed25519::Signature, 64>,
		message: PassFatPointerAndRead<&[u8]>,
		public: PassPointerAndRead<&ed25519::Public, 32>,
	) -> bool {
		use polkadot_sdk::sp_core::Pair as _;
		cache::verify(Scheme::Ed25519, &signature.0, &public.0, message, || {
			ed25519::Pair::verify(signature, message, public)
		})
	}
}

#[cfg(feature = "std")]
pub(crate) mod cache {
	use crate::Scheme;
	use polkadot_sdk::sp_io::hashing::blake2_256;
	use schnellru::{ByLength, LruMap};
	use std::sync::{LazyLock, Mutex, PoisonError};

	/// Digests of the signatures that verified lately.
	static VERIFIED: LazyLock<Mutex<LruMap<[u8; 32], ()>>> =
		LazyLock::new(|| Mutex::new(LruMap::new(ByLength::new(LEN))));
	/// About 3 MiB: more than a full pool and the blocks it fills.
	const LEN: u32 = 65_536;

	/// Whether the signature holds: from the cache if it held lately, else by `verify_uncached`,
	/// whose success is remembered.
	pub(crate) fn verify(
		scheme: Scheme,
		signature: &[u8],
		public: &[u8],
		message: &[u8],
		verify_uncached: impl FnOnce() -> bool,
	) -> bool {
		let digest = blake2_256(&[&[scheme as u8][..], signature, public, message].concat());
		let cache = || VERIFIED.lock().unwrap_or_else(PoisonError::into_inner);
		if cache().get(&digest).is_some() {
			return true;
		}
		let valid = verify_uncached();
		if valid {
			cache().insert(digest, ());
		}
		valid
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_core::Pair as _;

	#[test]
	fn each_scheme_answers_as_sp_io_does_cached_or_not() {
		let sr = sr25519::Pair::from_string("//Alice", None).unwrap();
		let ed = ed25519::Pair::from_string("//Alice", None).unwrap();
		let (sr_sig, ed_sig) = (sr.sign(b"transfer"), ed.sign(b"transfer"));
		for _ in 0..2 {
			// The second round answers from the cache.
			assert!(signatures::sr25519_verify(&sr_sig, b"transfer", &sr.public()));
			assert!(signatures::ed25519_verify(&ed_sig, b"transfer", &ed.public()));
			assert!(!signatures::sr25519_verify(&sr_sig, b"transfeR", &sr.public()));
			assert!(!signatures::ed25519_verify(&ed_sig, b"transfeR", &ed.public()));
		}
		let mut flipped = sr_sig;
		flipped.0[0] ^= 1;
		assert!(!signatures::sr25519_verify(&flipped, b"transfer", &sr.public()));
	}

	#[test]
	fn a_signature_that_held_under_one_scheme_is_not_taken_for_another() {
		let pair = sr25519::Pair::from_string("//Bob", None).unwrap();
		let signature = pair.sign(b"payload");
		assert!(signatures::sr25519_verify(&signature, b"payload", &pair.public()));
		// The same 64 + 32 bytes, read as ed25519, are not a valid signature.
		let as_ed = ed25519::Signature::from_raw(signature.0);
		let as_ed_key = ed25519::Public::from_raw(pair.public().0);
		assert!(!signatures::ed25519_verify(&as_ed, b"payload", &as_ed_key));
	}
}
