//! Password-derived keys (scrypt) and authenticated encryption (XSalsa20-Poly1305), as
//! polkadot.js's JSON exports use them; the wallet file uses the same two.

use crate::Error;
use crypto_secretbox::{
	aead::{Aead, KeyInit},
	XSalsa20Poly1305,
};
use std::sync::{Mutex, PoisonError};
use zeroize::Zeroizing;

pub const SALT_LEN: usize = 32;
pub const NONCE_LEN: usize = 24;
pub const KEY_LEN: usize = 32;

/// scrypt's cost for what we encrypt: N = 2^17, r = 8, p = 1, polkadot.js's default since
/// @polkadot/util-crypto 13 (128 MiB and about half a second).
pub const LOG_N: u8 = 17;
pub const R: u32 = 8;
pub const P: u32 = 1;

/// The costs we decrypt, as (log2 N, r, p): polkadot.js's list, which keeps older exports
/// readable and bounds what a crafted file can make us compute.
const ALLOWED: [(u8, u32, u32); 6] = [
	(13, 8, 10),
	(14, 8, 5),
	(15, 8, 3),
	(15, 8, 1),
	(16, 8, 2),
	(17, 8, 1),
];

/// A 32-byte key, wiped when dropped.
pub type Key = Zeroizing<[u8; KEY_LEN]>;

/// The key scrypt derives from `password` and `salt`. Parameters outside [`ALLOWED`] are
/// refused rather than run (a crafted N could take gigabytes).
pub fn derive_key(password: &str, salt: &[u8], log_n: u8, r: u32, p: u32) -> Result<Key, Error> {
	if !ALLOWED.contains(&(log_n, r, p)) {
		return Err(Error::Corrupt(format!(
			"unsupported scrypt parameters N = 2^{log_n}, r = {r}, p = {p}"
		)));
	}
	let params = scrypt::Params::new(log_n, r, p, KEY_LEN).expect("our parameters are valid");
	// One derivation at a time: each takes up to 128 MiB, and a burst of unlock or import
	// calls should queue, not multiply the node's memory.
	static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
	let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
	let mut key = Zeroizing::new([0u8; KEY_LEN]);
	scrypt::scrypt(password.as_bytes(), salt, &params, &mut key[..])
		.expect("the output length is valid");
	Ok(key)
}

/// `n` random bytes from the operating system.
pub fn random<const N: usize>() -> [u8; N] {
	let mut bytes = [0u8; N];
	getrandom::getrandom(&mut bytes).expect("the operating system provides randomness");
	bytes
}

/// `nonce || ciphertext` of `plaintext` under `key`, with a fresh random nonce.
pub fn seal(key: &Key, plaintext: &[u8]) -> Vec<u8> {
	let nonce = random::<NONCE_LEN>();
	let cipher = XSalsa20Poly1305::new(key.as_ref().into());
	let ciphertext = cipher
		.encrypt(&nonce.into(), plaintext)
		.expect("XSalsa20-Poly1305 takes any length");
	[&nonce[..], &ciphertext].concat()
}

/// The plaintext of `nonce || ciphertext`, or `WrongPassword` when the key does not open it
/// (a wrong password, or bytes that were changed).
pub fn open(key: &Key, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
	if sealed.len() < NONCE_LEN {
		return Err(Error::WrongPassword);
	}
	let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
	let cipher = XSalsa20Poly1305::new(key.as_ref().into());
	let nonce: [u8; NONCE_LEN] = nonce.try_into().expect("split at the nonce's length");
	cipher
		.decrypt(&nonce.into(), ciphertext)
		.map(Zeroizing::new)
		.map_err(|_| Error::WrongPassword)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn sealed_bytes_open_only_with_their_key() {
		let salt = random::<SALT_LEN>();
		let key = derive_key("correct horse", &salt, LOG_N, R, P).unwrap();
		let sealed = seal(&key, b"secret");
		assert_eq!(&open(&key, &sealed).unwrap()[..], b"secret");

		let other = derive_key("wrong horse", &salt, LOG_N, R, P).unwrap();
		assert!(matches!(open(&other, &sealed), Err(Error::WrongPassword)));
		let mut tampered = sealed.clone();
		*tampered.last_mut().unwrap() ^= 1;
		assert!(matches!(open(&key, &tampered), Err(Error::WrongPassword)));
		// Two seals of the same bytes differ: each has its own nonce.
		assert_ne!(seal(&key, b"secret"), sealed);
	}

	#[test]
	fn costly_parameters_are_refused() {
		assert!(matches!(
			derive_key("x", &[0; 32], 30, R, P),
			Err(Error::Corrupt(_))
		));
	}
}
