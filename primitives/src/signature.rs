//! The signature a transaction carries, in any of the chain's four schemes.

use crate::{sm2, verified};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	sp_core::{crypto::AccountId32, ecdsa, ed25519, sr25519},
	sp_runtime::{
		traits::{IdentifyAccount, Lazy, Verify},
		MultiSignature, MultiSigner,
	},
};
use scale_info::TypeInfo;

/// A signature scheme the chain accepts. The discriminants are the variant indices of
/// [`Signature`] on the wire.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Scheme {
	Ed25519 = 0,
	Sr25519 = 1,
	/// secp256k1 ECDSA over the blake2-256 of the payload.
	Ecdsa = 2,
	/// SM2 (GB/T 32918) with SM3 and the default user id.
	Sm2 = 3,
}

impl Scheme {
	/// Every scheme, in wire order.
	pub const ALL: [Scheme; 4] = [Scheme::Ed25519, Scheme::Sr25519, Scheme::Ecdsa, Scheme::Sm2];

	/// The scheme's name as users type it: `ed25519`, `sr25519`, `ecdsa` or `sm2` (the names
	/// polkadot.js gives the first three).
	pub const fn name(self) -> &'static str {
		match self {
			Self::Ed25519 => "ed25519",
			Self::Sr25519 => "sr25519",
			Self::Ecdsa => "ecdsa",
			Self::Sm2 => "sm2",
		}
	}
}

/// Parses a scheme's [`name`](Scheme::name), in any case; `secp256k1` also names ECDSA.
impl core::str::FromStr for Scheme {
	type Err = alloc::string::String;

	fn from_str(name: &str) -> Result<Self, Self::Err> {
		if name.eq_ignore_ascii_case("secp256k1") {
			return Ok(Self::Ecdsa);
		}
		Self::ALL.into_iter().find(|scheme| name.eq_ignore_ascii_case(scheme.name())).ok_or_else(
			|| alloc::format!("unknown signature scheme {name:?}: ed25519, sr25519, ecdsa or sm2"),
		)
	}
}

/// An SM2 signature with the public key that made it: SM2 signatures cannot be recovered to a
/// key, and the account is a hash of the key ([`sm2::account_id`]).
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Sm2Signature {
	/// The signer's SEC1-compressed public key.
	pub public: sm2::Public,
	/// `r || s`.
	pub signature: sm2::Signature,
}

/// The signature of a transaction.
///
/// Variants 0 to 2 are `sp_runtime::MultiSignature`'s, in its order, so wallets that sign for
/// MultiSignature chains (polkadot.js among them) sign for this one unchanged; SM2 is variant 3,
/// where MultiSignature has its Ethereum-style variant, which this chain does not accept. The
/// type lives at this crate's path on purpose: polkadot.js substitutes its own three-variant
/// enum for any type at `sp_runtime::MultiSignature`, and could not decode an SM2 signature.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum Signature {
	Ed25519(ed25519::Signature),
	Sr25519(sr25519::Signature),
	Ecdsa(ecdsa::Signature),
	Sm2(Sm2Signature),
}

impl Signature {
	/// The scheme of this signature.
	pub fn scheme(&self) -> Scheme {
		match self {
			Self::Ed25519(_) => Scheme::Ed25519,
			Self::Sr25519(_) => Scheme::Sr25519,
			Self::Ecdsa(_) => Scheme::Ecdsa,
			Self::Sm2(_) => Scheme::Sm2,
		}
	}
}

impl Verify for Signature {
	type Signer = Signer;

	/// Verifies the signature and, when it holds, records its scheme for the transaction
	/// checks that follow (see [`crate::verified_scheme`]).
	fn verify<L: Lazy<[u8]>>(&self, mut msg: L, signer: &AccountId32) -> bool {
		let who: [u8; 32] = *signer.as_ref();
		let valid = match self {
			// ed25519 and sr25519 verify as MultiSignature's do, through the node's cache of
			// signatures that held; ecdsa keeps MultiSignature's rules, its account derivation
			// included.
			Self::Ed25519(sig) => verified::signatures::ed25519_verify(sig, msg.get(), &who.into()),
			Self::Sr25519(sig) => verified::signatures::sr25519_verify(sig, msg.get(), &who.into()),
			Self::Ecdsa(sig) => MultiSignature::Ecdsa(*sig).verify(msg, signer),
			Self::Sm2(Sm2Signature { public, signature }) => {
				&sm2::account_id(public) == signer
					&& sm2::guomi::sm2_verify(signature, msg.get(), public)
			}
		};
		if valid {
			crate::verified_scheme::record(self.scheme());
		}
		valid
	}
}

impl From<ed25519::Signature> for Signature {
	fn from(sig: ed25519::Signature) -> Self {
		Self::Ed25519(sig)
	}
}

impl From<sr25519::Signature> for Signature {
	fn from(sig: sr25519::Signature) -> Self {
		Self::Sr25519(sig)
	}
}

impl From<ecdsa::Signature> for Signature {
	fn from(sig: ecdsa::Signature) -> Self {
		Self::Ecdsa(sig)
	}
}

impl From<Sm2Signature> for Signature {
	fn from(sig: Sm2Signature) -> Self {
		Self::Sm2(sig)
	}
}

/// The public key of a signer in any of the chain's schemes.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, TypeInfo, Debug)]
pub enum Signer {
	Ed25519(ed25519::Public),
	Sr25519(sr25519::Public),
	Ecdsa(ecdsa::Public),
	Sm2(sm2::Public),
}

impl IdentifyAccount for Signer {
	type AccountId = AccountId32;

	/// ed25519 and sr25519 keys are their own account; ecdsa's is the blake2-256 of the
	/// compressed key, as on every MultiSignature chain; SM2's is [`sm2::account_id`].
	fn into_account(self) -> AccountId32 {
		match self {
			Self::Ed25519(public) => MultiSigner::Ed25519(public).into_account(),
			Self::Sr25519(public) => MultiSigner::Sr25519(public).into_account(),
			Self::Ecdsa(public) => MultiSigner::Ecdsa(public).into_account(),
			Self::Sm2(public) => sm2::account_id(&public),
		}
	}
}

impl From<ed25519::Public> for Signer {
	fn from(public: ed25519::Public) -> Self {
		Self::Ed25519(public)
	}
}

impl From<sr25519::Public> for Signer {
	fn from(public: sr25519::Public) -> Self {
		Self::Sr25519(public)
	}
}

impl From<ecdsa::Public> for Signer {
	fn from(public: ecdsa::Public) -> Self {
		Self::Ecdsa(public)
	}
}

impl From<sm2::Public> for Signer {
	fn from(public: sm2::Public) -> Self {
		Self::Sm2(public)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_core::Pair;

	fn verifies(signature: impl Into<Signature>, signer: impl Into<Signer>) {
		let signature = signature.into();
		let account = signer.into().into_account();
		assert!(signature.verify(&b"payload"[..], &account), "{:?}", signature.scheme());
		assert_eq!(crate::verified_scheme::take(), Some(signature.scheme()));
		assert!(!signature.verify(&b"tampered"[..], &account));
		assert_eq!(crate::verified_scheme::take(), None, "a failed check records nothing");
	}

	#[test]
	fn each_scheme_verifies_for_its_own_account_only() {
		let ed = ed25519::Pair::from_string("//Alice", None).unwrap();
		verifies(ed.sign(b"payload"), ed.public());
		let sr = sr25519::Pair::from_string("//Alice", None).unwrap();
		verifies(sr.sign(b"payload"), sr.public());
		let ec = ecdsa::Pair::from_string("//Alice", None).unwrap();
		verifies(ec.sign(b"payload"), ec.public());
		let sm = sm2::Pair::from_string("//Alice", None).unwrap();
		let sm2_signature = Sm2Signature { public: sm.public(), signature: sm.sign(b"payload") };
		verifies(sm2_signature.clone(), sm.public());

		// An SM2 signature presented for another account fails even though it is valid.
		let bob = sr25519::Pair::from_string("//Bob", None).unwrap().public();
		assert!(!Signature::Sm2(sm2_signature).verify(&b"payload"[..], &bob.into()));
	}

	#[test]
	fn the_wire_keeps_multisignature_order_and_puts_sm2_at_3() {
		let sr = sr25519::Pair::from_string("//Alice", None).unwrap().sign(b"x");
		assert_eq!(Signature::from(sr).encode(), MultiSignature::from(sr).encode());
		let ed = ed25519::Pair::from_string("//Alice", None).unwrap().sign(b"x");
		assert_eq!(Signature::from(ed).encode(), MultiSignature::from(ed).encode());
		let ec = ecdsa::Pair::from_string("//Alice", None).unwrap().sign(b"x");
		assert_eq!(Signature::from(ec).encode(), MultiSignature::from(ec).encode());

		let sm = sm2::Pair::from_string("//Alice", None).unwrap();
		let encoded =
			Signature::Sm2(Sm2Signature { public: sm.public(), signature: sm.sign(b"x") }).encode();
		assert_eq!(encoded[0], 3);
		assert_eq!(encoded.len(), 1 + sm2::PUBLIC_LEN + sm2::SIGNATURE_LEN);
		for scheme in Scheme::ALL {
			assert_eq!(scheme.encode(), [scheme as u8]);
		}
	}
}
