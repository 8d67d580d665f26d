//! The node wallet, Chain33's wallet module on Consortia: accounts of any of the chain's four
//! signature schemes (sr25519, ed25519, ecdsa, SM2), their secrets encrypted at rest with a
//! password, locked and unlocked, and polkadot.js JSON import and export.
//!
//! A node serves it as `wallet_*` RPC methods and `consortia wallet` works on it offline; both
//! call [`Wallet`]. One process at a time opens a wallet folder (see [`store::lock_folder`]).
//!
//! The password never reaches the disk. Unlocking keeps the key scrypt derives from it in
//! memory until [`Wallet::lock`], the unlock's timeout, or the process's end; the key is wiped
//! when dropped.

mod crypto;
mod keys;
pub mod polkadot_js;
pub mod store;

pub use keys::Secret;
pub use polkadot_js::KeyringJson;

use consortia_client::{AnyPair, TxSigner};
use consortia_primitives::{Scheme, Signature};
use polkadot_sdk::sp_core::crypto::{AccountId32, Ss58Codec};
use serde::Serialize;
use std::{
	fs::File,
	path::{Path, PathBuf},
	sync::{Mutex, MutexGuard, PoisonError},
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};
use store::{StoredAccount, WalletFile};
use zeroize::Zeroizing;

/// The shortest password the wallet takes (Chain33's rule).
pub const MIN_PASSWORD_LEN: usize = 8;
/// The longest label, in bytes.
pub const MAX_LABEL_LEN: usize = 64;
/// The lengths a BIP39 mnemonic may have.
pub const MNEMONIC_WORDS: [usize; 5] = [12, 15, 18, 21, 24];

/// Why a wallet operation failed. Nothing changes when one fails.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	#[error("the wallet at {0} is open in another process (a running node?): use that node's wallet_* RPC methods, or stop it")]
	InUse(PathBuf),
	#[error("the wallet has no password yet: set one first (wallet_setPassword, or `consortia wallet set-password`)")]
	NoPassword,
	#[error("the wallet already has a password: give the current one to change it")]
	HasPassword,
	#[error("wrong password")]
	WrongPassword,
	#[error("a password needs at least {MIN_PASSWORD_LEN} characters")]
	WeakPassword,
	#[error("the wallet is locked: unlock it first (wallet_unlock)")]
	Locked,
	#[error("no account {0} in the wallet")]
	UnknownAccount(String),
	#[error("the wallet already holds account {0}")]
	AccountExists(String),
	#[error("not an SS58 address: {0:?}")]
	InvalidAddress(String),
	#[error("{0}")]
	InvalidSecret(String),
	#[error("a label is at most {MAX_LABEL_LEN} bytes of printable text")]
	InvalidLabel,
	#[error("the label {0:?} is already taken")]
	LabelTaken(String),
	#[error("a mnemonic has 12, 15, 18, 21 or 24 words, not {0}")]
	InvalidWordCount(usize),
	#[error("not a polkadot.js account export: {0}")]
	InvalidJson(String),
	#[error("the wallet file is damaged or not a wallet: {0}")]
	Corrupt(String),
	#[error("the wallet file could not be read or written: {0}")]
	Io(#[from] std::io::Error),
}

/// An account as the wallet lists it.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AccountInfo {
	/// SS58 address.
	pub address: String,
	/// `ed25519`, `sr25519`, `ecdsa` or `sm2`.
	pub scheme: String,
	/// `0x` hex public key: 32 bytes, or 33 (compressed) for ecdsa and SM2.
	pub public_key: String,
	pub label: String,
	/// Milliseconds since the Unix epoch.
	pub created_at: u64,
}

/// Whether the wallet has a password and is unlocked.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Status {
	pub has_password: bool,
	pub locked: bool,
	/// Seconds until the wallet locks itself, when unlocked with a timeout.
	pub locks_in_secs: Option<u64>,
	pub accounts: usize,
}

struct Unlocked {
	key: crypto::Key,
	until: Option<Instant>,
}

struct State {
	/// `None` until a password is set.
	file: Option<WalletFile>,
	unlocked: Option<Unlocked>,
}

impl State {
	/// The unlocked key.
	fn key(&self) -> Result<&crypto::Key, Error> {
		self.unlocked
			.as_ref()
			.map(|unlocked| &unlocked.key)
			.ok_or(Error::Locked)
	}

	fn expire(&mut self) {
		if self
			.unlocked
			.as_ref()
			.and_then(|u| u.until)
			.is_some_and(|until| until <= Instant::now())
		{
			self.unlocked = None;
		}
	}

	fn file(&self) -> Result<&WalletFile, Error> {
		self.file.as_ref().ok_or(Error::NoPassword)
	}

	/// Whether `key`, derived under `kdf`, is the wallet's key.
	fn verify(&self, kdf: &store::Kdf, key: &crypto::Key) -> Result<(), Error> {
		let file = self.file()?;
		// A password change between the derivation and now gave the wallet a new salt.
		if file.kdf.salt != kdf.salt {
			return Err(Error::WrongPassword);
		}
		match crypto::open(key, &file.check) {
			Ok(text) if &text[..] == store::CHECK_TEXT => Ok(()),
			_ => Err(Error::WrongPassword),
		}
	}

	/// Writes `file` and makes it the wallet's state; when the write fails, neither changes.
	fn commit(&mut self, path: &Path, file: WalletFile) -> Result<(), Error> {
		file.write(path)?;
		self.file = Some(file);
		Ok(())
	}

	fn account(&self, address: &str) -> Result<&StoredAccount, Error> {
		let address = parse_address(address)?.to_ss58check();
		self.file()?
			.accounts
			.iter()
			.find(|account| account.address == address)
			.ok_or(Error::UnknownAccount(address))
	}

	fn secret(&self, address: &str) -> Result<Secret, Error> {
		let sealed = self.account(address)?.clone();
		// The key opened `check`, so a secret it cannot open was damaged.
		let plain = crypto::open(self.key()?, &sealed.secret).map_err(|_| {
			Error::Corrupt(format!(
				"account {}'s secret does not decrypt",
				sealed.address
			))
		})?;
		let scheme = sealed.scheme.parse().map_err(Error::Corrupt)?;
		let secret = Secret::from_bytes(scheme, &plain)?;
		if secret.public() != sealed.public_key.0 {
			return Err(Error::Corrupt(format!(
				"account {}'s secret is not its key",
				sealed.address
			)));
		}
		Ok(secret)
	}
}

/// A wallet folder, open in this process.
pub struct Wallet {
	path: PathBuf,
	state: Mutex<State>,
	_lock: File,
}

impl Wallet {
	/// Opens the wallet in `folder` (creating the folder; the file appears with the password).
	/// Fails with [`Error::InUse`] while another process has it open.
	pub fn open(folder: &Path) -> Result<Self, Error> {
		store::create_folder(folder)?;
		let lock = store::lock_folder(folder)?;
		let path = folder.join("wallet.json");
		let file = WalletFile::read(&path)?;
		Ok(Self {
			path,
			state: Mutex::new(State {
				file,
				unlocked: None,
			}),
			_lock: lock,
		})
	}

	/// The wallet file's path.
	pub fn path(&self) -> &Path {
		&self.path
	}

	/// The wallet's scrypt parameters and the key they give `password`. Derived without holding
	/// the state (scrypt takes about half a second); [`State::verify`] checks the key after.
	fn derive(&self, password: &str) -> Result<(store::Kdf, crypto::Key), Error> {
		let kdf = self.state().file()?.kdf.clone();
		let key = kdf.derive(password)?;
		Ok((kdf, key))
	}

	/// The state, locked first if the unlock's timeout has passed.
	fn state(&self) -> MutexGuard<'_, State> {
		let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
		state.expire();
		state
	}

	pub fn status(&self) -> Status {
		let state = self.state();
		Status {
			has_password: state.file.is_some(),
			locked: state.unlocked.is_none(),
			locks_in_secs: state
				.unlocked
				.as_ref()
				.and_then(|u| u.until)
				.map(|until| until.saturating_duration_since(Instant::now()).as_secs()),
			accounts: state.file.as_ref().map_or(0, |file| file.accounts.len()),
		}
	}

	/// Sets the first password (`old` is `None`) or changes it (`old` is the current one). A
	/// change re-encrypts every secret under a key from a fresh salt; an unlocked wallet stays
	/// unlocked.
	pub fn set_password(&self, old: Option<&str>, new: &str) -> Result<(), Error> {
		if new.chars().count() < MIN_PASSWORD_LEN {
			return Err(Error::WeakPassword);
		}
		let old = old.map(|old| self.derive(old)).transpose()?;
		let kdf = store::Kdf::new();
		let new_key = kdf.derive(new)?;
		let mut state = self.state();
		let accounts = match (&state.file, old) {
			(None, _) => Vec::new(),
			(Some(_), None) => return Err(Error::HasPassword),
			(Some(file), Some((old_kdf, old_key))) => {
				state.verify(&old_kdf, &old_key)?;
				let mut accounts = file.accounts.clone();
				for account in &mut accounts {
					let plain = crypto::open(&old_key, &account.secret).map_err(|_| {
						Error::Corrupt(format!(
							"account {}'s secret does not decrypt",
							account.address
						))
					})?;
					account.secret = crypto::seal(&new_key, &plain).into();
				}
				accounts
			}
		};
		let file = WalletFile {
			version: store::VERSION,
			kdf,
			cipher: "xsalsa20-poly1305".into(),
			check: crypto::seal(&new_key, store::CHECK_TEXT).into(),
			accounts,
		};
		state.commit(&self.path, file)?;
		if let Some(unlocked) = &mut state.unlocked {
			unlocked.key = new_key;
		}
		Ok(())
	}

	/// Unlocks the wallet for `timeout` (`None`, or one past the clock's range: until
	/// [`Wallet::lock`] or the process ends).
	pub fn unlock(&self, password: &str, timeout: Option<Duration>) -> Result<(), Error> {
		let (kdf, key) = self.derive(password)?;
		let mut state = self.state();
		state.verify(&kdf, &key)?;
		let until = timeout.and_then(|timeout| Instant::now().checked_add(timeout));
		state.unlocked = Some(Unlocked { key, until });
		Ok(())
	}

	/// Locks the wallet: the key is wiped from memory.
	pub fn lock(&self) {
		self.state().unlocked = None;
	}

	/// Locks the wallet if its timeout has passed. A node calls it every second, so the key
	/// does not outlive the timeout in memory.
	pub fn expire(&self) {
		drop(self.state());
	}

	/// Creates an account of `scheme` from a new BIP39 mnemonic of `words` words. The mnemonic
	/// is returned once, for the user to write down: the wallet keeps the key, not the words.
	pub fn create(
		&self,
		scheme: Scheme,
		label: &str,
		words: usize,
	) -> Result<(AccountInfo, Zeroizing<String>), Error> {
		if !MNEMONIC_WORDS.contains(&words) {
			return Err(Error::InvalidWordCount(words));
		}
		let mnemonic = bip39::Mnemonic::generate(words).expect("the word count is valid");
		let phrase = Zeroizing::new(mnemonic.to_string());
		let account = self.add(Secret::from_uri(scheme, &phrase)?, label)?;
		Ok((account, phrase))
	}

	/// Imports the key a secret URI names: a mnemonic, a `0x` seed or a dev seed, with optional
	/// derivations.
	pub fn import_uri(&self, scheme: Scheme, uri: &str, label: &str) -> Result<AccountInfo, Error> {
		self.add(Secret::from_uri(scheme, uri)?, label)
	}

	/// Imports a polkadot.js JSON export (or one of ours for SM2), decrypted with `password`.
	pub fn import_json(
		&self,
		json: &KeyringJson,
		password: &str,
		label: &str,
	) -> Result<AccountInfo, Error> {
		// Decrypting first and alone: scrypt takes a moment and needs no lock.
		let secret = polkadot_js::import(json, password)?;
		self.add(secret, label)
	}

	/// Exports an account as polkadot.js JSON encrypted with `password`.
	pub fn export(&self, address: &str, password: &str) -> Result<KeyringJson, Error> {
		if password.chars().count() < MIN_PASSWORD_LEN {
			return Err(Error::WeakPassword);
		}
		let (secret, label, created_at) = {
			let state = self.state();
			let account = state.account(address)?;
			(
				state.secret(address)?,
				account.label.clone(),
				account.created_at,
			)
		};
		// Encrypting takes scrypt's half second: not while holding the state.
		Ok(polkadot_js::export(&secret, password, &label, created_at))
	}

	pub fn accounts(&self) -> Vec<AccountInfo> {
		let state = self.state();
		state
			.file
			.iter()
			.flat_map(|file| file.accounts.iter().map(info))
			.collect()
	}

	/// Sets an account's label (a locked wallet can: labels are not secret).
	pub fn set_label(&self, address: &str, label: &str) -> Result<AccountInfo, Error> {
		let mut state = self.state();
		let address = state.account(address)?.address.clone();
		let file = state
			.file
			.as_ref()
			.expect("the account was found in the file");
		check_label(file, label, Some(&address))?;
		let mut file = file.clone();
		let account = file
			.accounts
			.iter_mut()
			.find(|account| account.address == address)
			.expect("the account was found");
		account.label = label.into();
		let updated = info(account);
		state.commit(&self.path, file)?;
		Ok(updated)
	}

	/// The key pair of an account, to sign with (the wallet must be unlocked).
	pub fn signer(&self, address: &str) -> Result<AnyPair, Error> {
		Ok(self.state().secret(address)?.pair().clone())
	}

	/// Signs `payload` with an account's key: the chain's signature type, carrying its scheme.
	pub fn sign(&self, address: &str, payload: &[u8]) -> Result<Signature, Error> {
		Ok(self.signer(address)?.sign_payload(payload))
	}

	/// Adds a secret under `label`; the wallet must have a password and be unlocked.
	fn add(&self, secret: Secret, label: &str) -> Result<AccountInfo, Error> {
		let mut state = self.state();
		let mut file = state.file()?.clone();
		let key = state.key()?;
		let account = StoredAccount {
			address: consortia_client::TxSigner::account(secret.pair()).to_ss58check(),
			scheme: secret.scheme().name().into(),
			public_key: secret.public().into(),
			label: label.into(),
			created_at: now_ms(),
			secret: crypto::seal(key, secret.bytes()).into(),
		};
		if file.accounts.iter().any(|a| a.address == account.address) {
			return Err(Error::AccountExists(account.address));
		}
		check_label(&file, label, None)?;
		let added = info(&account);
		file.accounts.push(account);
		state.commit(&self.path, file)?;
		Ok(added)
	}
}

fn info(account: &StoredAccount) -> AccountInfo {
	AccountInfo {
		address: account.address.clone(),
		scheme: account.scheme.clone(),
		public_key: polkadot_sdk::sp_core::bytes::to_hex(&account.public_key, false),
		label: account.label.clone(),
		created_at: account.created_at,
	}
}

/// A label is short printable text, unique in the wallet unless empty.
fn check_label(file: &WalletFile, label: &str, except: Option<&str>) -> Result<(), Error> {
	if label.len() > MAX_LABEL_LEN || label.chars().any(char::is_control) {
		return Err(Error::InvalidLabel);
	}
	let taken = file
		.accounts
		.iter()
		.any(|a| !label.is_empty() && a.label == label && Some(a.address.as_str()) != except);
	if taken {
		return Err(Error::LabelTaken(label.into()));
	}
	Ok(())
}

/// The account an SS58 address names, in any network's format.
pub fn parse_address(address: &str) -> Result<AccountId32, Error> {
	AccountId32::from_ss58check_with_version(address)
		.map(|(account, _)| account)
		.map_err(|_| Error::InvalidAddress(address.into()))
}

fn now_ms() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map_or(0, |d| d.as_millis() as u64)
}

#[cfg(test)]
mod tests;
