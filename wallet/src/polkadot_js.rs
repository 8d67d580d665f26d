//! polkadot.js's encrypted JSON account export (`pair.toJson(password)`, version 3), which
//! @polkadot/keyring's `addFromJson` and polkadot.js apps import.
//!
//! `encoded` is base64 of `salt (32) || N, p, r (u32 little-endian each) || nonce (24) ||
//! XSalsa20-Poly1305(PKCS#8-like body)`, the key being scrypt's output. The body is
//! `HEADER || secret || DIVIDER || public key`. `address` is the SS58 address for sr25519 and
//! ed25519 and the `0x` compressed public key for ecdsa.
//!
//! SM2 keys use the same envelope with `encoding.content = ["pkcs8", "sm2"]`, the 32-byte
//! private scalar as the secret, the 33-byte compressed public key, and that key in `0x` hex as
//! `address`, as for ecdsa. polkadot.js does not know SM2, so it refuses such a file.

use crate::{
	crypto::{self, Key},
	keys::Secret,
	Error,
};
use base64::{engine::general_purpose::STANDARD as BASE64, Engine};
use consortia_primitives::Scheme;
use polkadot_sdk::sp_core::{
	bytes::{from_hex, to_hex},
	crypto::{AccountId32, Ss58Codec},
};
use serde::{Deserialize, Serialize};

const HEADER: [u8; 16] = [48, 83, 2, 1, 1, 48, 5, 6, 3, 43, 101, 112, 4, 34, 4, 32];
const DIVIDER: [u8; 5] = [161, 35, 3, 33, 0];
const PARAMS_LEN: usize = crypto::SALT_LEN + 12;

/// An exported account.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KeyringJson {
	pub address: String,
	pub encoded: String,
	pub encoding: Encoding,
	#[serde(default)]
	pub meta: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Encoding {
	/// `["pkcs8", scheme]`.
	pub content: Vec<String>,
	/// `["scrypt", "xsalsa20-poly1305"]`.
	#[serde(rename = "type")]
	pub kind: Vec<String>,
	pub version: String,
}

/// The `address` field polkadot.js writes for a key.
fn address(scheme: Scheme, public: &[u8]) -> String {
	match scheme {
		Scheme::Sr25519 | Scheme::Ed25519 => AccountId32::new(
			public
				.try_into()
				.expect("sr25519 and ed25519 public keys are 32 bytes"),
		)
		.to_ss58check(),
		Scheme::Ecdsa | Scheme::Sm2 => to_hex(public, false),
	}
}

/// Exports `secret` encrypted with `password`, named `name`.
pub fn export(secret: &Secret, password: &str, name: &str, created_ms: u64) -> KeyringJson {
	let scheme = secret.scheme();
	let public = secret.public();
	// polkadot.js keeps an ed25519 key as seed || public key.
	let secret_bytes = zeroize::Zeroizing::new(match scheme {
		Scheme::Ed25519 => [secret.bytes(), &public].concat(),
		_ => secret.bytes().to_vec(),
	});
	let body =
		zeroize::Zeroizing::new([&HEADER[..], &secret_bytes[..], &DIVIDER, &public].concat());
	let salt = crypto::random::<{ crypto::SALT_LEN }>();
	let key: Key = crypto::derive_key(password, &salt, crypto::LOG_N, crypto::R, crypto::P)
		.expect("our own parameters are accepted");
	let params = [
		&salt[..],
		&(1u32 << crypto::LOG_N).to_le_bytes(),
		&crypto::P.to_le_bytes(),
		&crypto::R.to_le_bytes(),
	]
	.concat();
	let encoded = [params, crypto::seal(&key, &body)].concat();
	let mut meta = serde_json::Map::new();
	meta.insert("name".into(), name.into());
	meta.insert("whenCreated".into(), created_ms.into());
	KeyringJson {
		address: address(scheme, &public),
		encoded: BASE64.encode(encoded),
		encoding: Encoding {
			content: vec!["pkcs8".into(), scheme.name().into()],
			kind: vec!["scrypt".into(), "xsalsa20-poly1305".into()],
			version: "3".into(),
		},
		meta,
	}
}

/// The secret in an export, decrypted with `password`. The key must match the export's
/// address.
pub fn import(json: &KeyringJson, password: &str) -> Result<Secret, Error> {
	let invalid = |why: &str| Error::InvalidJson(why.into());
	let [content, scheme] = &json.encoding.content[..] else {
		return Err(invalid("`encoding.content` is not [\"pkcs8\", scheme]"));
	};
	if content != "pkcs8" {
		return Err(invalid("`encoding.content` is not [\"pkcs8\", scheme]"));
	}
	let scheme: Scheme = scheme.parse().map_err(|e: String| Error::InvalidJson(e))?;
	if json.encoding.version != "3" || json.encoding.kind != ["scrypt", "xsalsa20-poly1305"] {
		return Err(invalid(
			"only version 3 exports encrypted with scrypt and xsalsa20-poly1305 are supported",
		));
	}
	let encoded = BASE64
		.decode(&json.encoded)
		.map_err(|_| invalid("`encoded` is not base64"))?;
	if encoded.len() < PARAMS_LEN {
		return Err(invalid("`encoded` is too short"));
	}
	let (params, sealed) = encoded.split_at(PARAMS_LEN);
	let word = |at: usize| u32::from_le_bytes(params[at..at + 4].try_into().expect("4 bytes"));
	let (n, p, r) = (
		word(crypto::SALT_LEN),
		word(crypto::SALT_LEN + 4),
		word(crypto::SALT_LEN + 8),
	);
	if !n.is_power_of_two() {
		return Err(invalid("scrypt's N is not a power of two"));
	}
	let key = crypto::derive_key(password, &params[..crypto::SALT_LEN], n.ilog2() as u8, r, p)?;
	let body = crypto::open(&key, sealed)?;

	// The secret is 64 bytes (sr25519, ed25519 as seed || public) or 32 (ecdsa, SM2), found by
	// where the divider is, as polkadot.js finds it.
	let rest = body
		.strip_prefix(&HEADER[..])
		.ok_or_else(|| invalid("the body's header is wrong"))?;
	let (secret, public) = [64, 32]
		.into_iter()
		.find(|len| rest.len() > *len && rest[*len..].starts_with(&DIVIDER))
		.map(|len| (&rest[..len], &rest[len + DIVIDER.len()..]))
		.ok_or_else(|| invalid("the body's divider is missing"))?;
	let secret = match (scheme, secret.len()) {
		(Scheme::Ed25519, 64) => Secret::from_bytes(scheme, &secret[..32])?,
		(Scheme::Sr25519, 64) | (Scheme::Ecdsa | Scheme::Sm2 | Scheme::Ed25519, 32) => {
			Secret::from_bytes(scheme, secret)?
		}
		_ => return Err(invalid("the secret's length does not fit its scheme")),
	};
	if secret.public() != public {
		return Err(invalid(
			"the secret does not match the public key in the body",
		));
	}
	let expected = match scheme {
		Scheme::Sr25519 | Scheme::Ed25519 => AccountId32::from_ss58check(&json.address)
			.map(|account| AsRef::<[u8]>::as_ref(&account).to_vec())
			.ok(),
		Scheme::Ecdsa | Scheme::Sm2 => from_hex(&json.address).ok(),
	};
	if expected.as_deref() != Some(&public[..]) {
		return Err(invalid("the key does not match the export's `address`"));
	}
	Ok(secret)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_scheme_round_trips() {
		for scheme in Scheme::ALL {
			let secret = Secret::from_uri(scheme, "//Bob").unwrap();
			let json = export(&secret, "export password", "bob", 1);
			assert_eq!(json.encoding.content, ["pkcs8", scheme.name()]);
			let back = import(&json, "export password").unwrap();
			assert_eq!(back.public(), secret.public());
			assert_eq!(back.scheme(), scheme);
			assert!(matches!(
				import(&json, "wrong password"),
				Err(Error::WrongPassword)
			));
		}
	}

	/// An export made by @polkadot/keyring 14 (`addFromUri('//Alice', {}, 'sr25519')
	/// .toJson('password')`): the ed25519-form secret imports to Alice's key.
	#[test]
	fn polkadot_js_sr25519_export_imports() {
		let json: KeyringJson =
			serde_json::from_str(include_str!("../fixtures/alice-sr25519.json")).unwrap();
		let secret = import(&json, "password").unwrap();
		let alice = Secret::from_uri(Scheme::Sr25519, "//Alice").unwrap();
		assert_eq!(secret.public(), alice.public());
	}

	#[test]
	fn a_mismatched_address_is_refused() {
		let secret = Secret::from_uri(Scheme::Sr25519, "//Alice").unwrap();
		let mut json = export(&secret, "pw", "alice", 1);
		json.address = address(
			Scheme::Sr25519,
			&Secret::from_uri(Scheme::Sr25519, "//Bob").unwrap().public(),
		);
		assert!(matches!(import(&json, "pw"), Err(Error::InvalidJson(_))));
	}

	#[test]
	fn unknown_formats_are_refused() {
		let secret = Secret::from_uri(Scheme::Ecdsa, "//Alice").unwrap();
		let json = export(&secret, "pw", "alice", 1);
		let mut other = json.clone();
		other.encoding.content[1] = "ethereum".into();
		assert!(matches!(import(&other, "pw"), Err(Error::InvalidJson(_))));
		let mut other = json.clone();
		other.encoding.kind = vec!["none".into()];
		assert!(matches!(import(&other, "pw"), Err(Error::InvalidJson(_))));
		let mut other = json;
		other.encoded = "AAAA".into();
		assert!(matches!(import(&other, "pw"), Err(Error::InvalidJson(_))));
	}
}
