//! The wallet file, `wallet.json`, and how it reaches the disk.
//!
//! ```json
//! {
//!   "version": 1,
//!   "kdf": { "algorithm": "scrypt", "salt": "0x…", "logN": 17, "r": 8, "p": 1 },
//!   "cipher": "xsalsa20-poly1305",
//!   "check": "0x…",
//!   "accounts": [
//!     { "address": "5…", "scheme": "sm2", "publicKey": "0x…", "label": "treasury",
//!       "createdAt": 1795000000000, "secret": "0x…" }
//!   ]
//! }
//! ```
//!
//! One key, derived from the wallet's password with scrypt, encrypts every account's secret
//! (`nonce || XSalsa20-Poly1305 ciphertext`, a fresh nonce each time) and `check`, a known
//! text that tells a wrong password from a right one even in a wallet with no account.
//! Addresses, schemes, public keys and labels are in clear, so a locked wallet can list them.

use crate::{crypto, Error};
use polkadot_sdk::sp_core::Bytes;
use serde::{Deserialize, Serialize};
use std::{
	fs::{self, File, OpenOptions},
	io::Write,
	path::Path,
};

pub const VERSION: u32 = 1;
/// What `check` encrypts.
pub const CHECK_TEXT: &[u8] = b"consortia wallet v1";

#[derive(Serialize, Deserialize, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WalletFile {
	pub version: u32,
	pub kdf: Kdf,
	pub cipher: String,
	pub check: Bytes,
	pub accounts: Vec<StoredAccount>,
}

#[derive(Serialize, Deserialize, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Kdf {
	pub algorithm: String,
	pub salt: Bytes,
	pub log_n: u8,
	pub r: u32,
	pub p: u32,
}

#[derive(Serialize, Deserialize, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StoredAccount {
	/// SS58 address of the account id.
	pub address: String,
	/// `ed25519`, `sr25519`, `ecdsa` or `sm2`.
	pub scheme: String,
	pub public_key: Bytes,
	pub label: String,
	/// Milliseconds since the Unix epoch.
	pub created_at: u64,
	/// The sealed secret (see [`crate::keys::Secret`] for its bytes).
	pub secret: Bytes,
}

impl Kdf {
	/// Fresh parameters with a new salt.
	pub fn new() -> Self {
		Self {
			algorithm: "scrypt".into(),
			salt: crypto::random::<{ crypto::SALT_LEN }>().to_vec().into(),
			log_n: crypto::LOG_N,
			r: crypto::R,
			p: crypto::P,
		}
	}

	pub fn derive(&self, password: &str) -> Result<crypto::Key, Error> {
		crypto::derive_key(password, &self.salt, self.log_n, self.r, self.p)
	}
}

impl WalletFile {
	/// Reads the file at `path`, if there is one.
	pub fn read(path: &Path) -> Result<Option<Self>, Error> {
		let bytes = match fs::read(path) {
			Ok(bytes) => bytes,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
			Err(e) => return Err(e.into()),
		};
		let file: Self = serde_json::from_slice(&bytes)
			.map_err(|e| Error::Corrupt(format!("{}: {e}", path.display())))?;
		if file.version != VERSION || file.kdf.algorithm != "scrypt" {
			return Err(Error::Corrupt(format!(
				"{}: version {} with {} is not a format this node reads",
				path.display(),
				file.version,
				file.kdf.algorithm
			)));
		}
		Ok(Some(file))
	}

	/// Writes the file atomically: a temporary file in the same folder, flushed to the disk,
	/// then renamed over the old one, so a crash leaves either the old wallet or the new one.
	pub fn write(&self, path: &Path) -> Result<(), Error> {
		let json = serde_json::to_vec_pretty(self).expect("the wallet serializes");
		let temporary = path.with_extension("json.tmp");
		let mut file = private_file(&temporary)?;
		file.write_all(&json)?;
		file.sync_all()?;
		fs::rename(&temporary, path)?;
		// The rename reaches the disk with the folder's own flush. The new file is in place
		// whatever that flush returns, so a failure there is not the write's.
		#[cfg(unix)]
		if let Some(folder) = path.parent() {
			let _ = File::open(folder).and_then(|folder| folder.sync_all());
		}
		Ok(())
	}
}

/// Creates (or truncates) a file only its owner may read.
fn private_file(path: &Path) -> std::io::Result<File> {
	let mut options = OpenOptions::new();
	options.write(true).create(true).truncate(true);
	#[cfg(unix)]
	std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
	options.open(path)
}

/// Creates the wallet's folder, readable by its owner only.
pub fn create_folder(path: &Path) -> std::io::Result<()> {
	let mut builder = fs::DirBuilder::new();
	builder.recursive(true);
	#[cfg(unix)]
	std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
	builder.create(path)
}

/// Holds `wallet.lock` in `folder` exclusively while alive, so one process at a time (a node
/// or a `consortia wallet` command) owns the wallet.
pub fn lock_folder(folder: &Path) -> Result<File, Error> {
	let file = OpenOptions::new()
		.write(true)
		.create(true)
		.truncate(false)
		.open(folder.join("wallet.lock"))?;
	match file.try_lock() {
		Ok(()) => Ok(file),
		Err(fs::TryLockError::WouldBlock) => Err(Error::InUse(folder.to_path_buf())),
		Err(fs::TryLockError::Error(e)) => Err(e.into()),
	}
}
