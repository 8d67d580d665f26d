//! A secret key of any of the chain's schemes, in the one form the wallet stores and exports.

use crate::Error;
use consortia_client::AnyPair;
use consortia_primitives::{sm2, Scheme};
use polkadot_sdk::sp_core::{ecdsa, ed25519, sr25519, Pair as _};
use zeroize::Zeroizing;

/// A secret key with its scheme.
///
/// The bytes are what polkadot.js keeps in the body of its JSON export, except for ed25519:
/// - sr25519: the 64-byte secret key in schnorrkel's "ed25519 form" (`to_ed25519_bytes`), which
///   polkadot.js's sr25519 code uses;
/// - ed25519, ecdsa: the 32-byte seed (polkadot.js appends the public key to an ed25519 seed);
/// - SM2: the 32-byte private scalar, big-endian.
pub struct Secret {
	pair: AnyPair,
	bytes: Zeroizing<Vec<u8>>,
}

impl Secret {
	/// The secret a secret URI names: a BIP39 mnemonic, a `0x` seed or a dev seed such as
	/// `//Alice`, each with optional `//hard` derivations (and `/soft` ones for sr25519).
	pub fn from_uri(scheme: Scheme, uri: &str) -> Result<Self, Error> {
		let pair = AnyPair::from_uri(scheme, uri).map_err(|e| {
			Error::InvalidSecret(format!("not a valid {} secret: {e:?}", scheme.name()))
		})?;
		Ok(Self::from_pair(pair))
	}

	/// The secret of a pair.
	pub fn from_pair(pair: AnyPair) -> Self {
		let bytes = Zeroizing::new(match &pair {
			AnyPair::Sr25519(pair) => {
				let keypair: &schnorrkel::Keypair = pair.as_ref();
				Zeroizing::new(keypair.secret.to_ed25519_bytes()).to_vec()
			}
			AnyPair::Ed25519(pair) => pair.seed().to_vec(),
			AnyPair::Ecdsa(pair) => pair.seed().to_vec(),
			AnyPair::Sm2(pair) => pair.seed().to_vec(),
		});
		Self { pair, bytes }
	}

	/// The secret of `scheme` these bytes hold, in the form [`Secret`] describes.
	pub fn from_bytes(scheme: Scheme, bytes: &[u8]) -> Result<Self, Error> {
		let invalid = || Error::InvalidSecret(format!("not a valid {} secret key", scheme.name()));
		let pair = match scheme {
			Scheme::Sr25519 => AnyPair::Sr25519(sr25519::Pair::from(
				schnorrkel::SecretKey::from_ed25519_bytes(bytes)
					.map_err(|_| invalid())?
					.to_keypair(),
			)),
			Scheme::Ed25519 => {
				AnyPair::Ed25519(ed25519::Pair::from_seed_slice(bytes).map_err(|_| invalid())?)
			}
			Scheme::Ecdsa => {
				AnyPair::Ecdsa(ecdsa::Pair::from_seed_slice(bytes).map_err(|_| invalid())?)
			}
			Scheme::Sm2 => AnyPair::Sm2(sm2::Pair::from_seed_slice(bytes).map_err(|_| invalid())?),
		};
		Ok(Self::from_pair(pair))
	}

	pub fn scheme(&self) -> Scheme {
		self.pair.scheme()
	}

	/// The secret's bytes (see [`Secret`]).
	pub fn bytes(&self) -> &[u8] {
		&self.bytes
	}

	pub fn pair(&self) -> &AnyPair {
		&self.pair
	}

	pub fn public(&self) -> Vec<u8> {
		self.pair.public_bytes()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_scheme_round_trips_through_its_bytes() {
		for scheme in Scheme::ALL {
			let secret = Secret::from_uri(scheme, "//Alice//wallet").unwrap();
			let again = Secret::from_bytes(scheme, secret.bytes()).unwrap();
			assert_eq!(again.public(), secret.public(), "{scheme:?}");
			assert_eq!(again.bytes(), secret.bytes(), "{scheme:?}");
		}
	}

	#[test]
	fn sr25519_bytes_are_in_the_ed25519_form() {
		// The same key from sp-core's own seed handling and from the ed25519 form.
		let pair = sr25519::Pair::from_string("//Alice", None).unwrap();
		let secret = Secret::from_pair(AnyPair::Sr25519(pair.clone()));
		let keypair: &schnorrkel::Keypair = pair.as_ref();
		assert_ne!(secret.bytes(), &keypair.secret.to_bytes()[..]);
		assert_eq!(
			Secret::from_bytes(Scheme::Sr25519, secret.bytes())
				.unwrap()
				.public(),
			pair.public().to_vec()
		);
	}

	#[test]
	fn malformed_secrets_are_refused() {
		assert!(matches!(
			Secret::from_uri(Scheme::Sm2, "not a phrase"),
			Err(Error::InvalidSecret(_))
		));
		assert!(matches!(
			Secret::from_bytes(Scheme::Ecdsa, &[0; 31]),
			Err(Error::InvalidSecret(_))
		));
		assert!(matches!(
			Secret::from_bytes(Scheme::Sm2, &[0; 32]),
			Err(Error::InvalidSecret(_))
		));
		// SM2 refuses soft derivation, which only sr25519 has.
		assert!(Secret::from_uri(Scheme::Sm2, "//Alice/soft").is_err());
	}
}
