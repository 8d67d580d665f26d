//! `consortia wallet`: the node wallet, worked on while no node has it open. Locking, unlocking
//! and `wallet_transfer` belong to a running node, through its `wallet_*` RPC.

use consortia_primitives::Scheme;
use consortia_wallet::{KeyringJson, Wallet};
use polkadot_sdk::{sc_cli::SubstrateCli, sc_service::BasePath, sp_core::Bytes};
use std::{
	path::{Path, PathBuf},
	str::FromStr,
};

#[derive(Debug, clap::Args)]
pub struct WalletCmd {
	#[command(subcommand)]
	pub action: WalletAction,

	/// The node's base path: the wallet is `chains/<chain id>/wallet` in it, the one a node
	/// started with the same `--base-path` and `--chain` serves. Default: the node's default.
	#[arg(long, short = 'd', value_name = "PATH", global = true)]
	pub base_path: Option<PathBuf>,

	/// The chain: `dev`, `local`, `consortium` or a chain-spec file.
	#[arg(
		long,
		value_name = "CHAIN_SPEC",
		default_value = "local",
		global = true
	)]
	pub chain: String,

	/// The wallet's folder, instead of the one `--base-path` and `--chain` name.
	#[arg(long, value_name = "PATH", global = true)]
	pub wallet_dir: Option<PathBuf>,

	/// A file holding the wallet's password. Without it (or `--password`), the command asks.
	#[arg(long, value_name = "PATH", global = true, conflicts_with = "password")]
	pub password_filename: Option<PathBuf>,

	/// The wallet's password on the command line, where other users of the machine may see it:
	/// for tests and scripts on a machine of your own.
	#[arg(long, value_name = "PASSWORD", global = true)]
	pub password: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
pub enum WalletAction {
	/// Set the wallet's first password, or change it (the current one comes from
	/// `--password-filename`, `--password` or a prompt).
	SetPassword {
		/// A file holding the new password. Without it, the command asks twice.
		#[arg(long, value_name = "PATH")]
		new_password_filename: Option<PathBuf>,
	},

	/// Create an account from a new BIP39 mnemonic, printed once: write it down.
	Create {
		/// `sr25519`, `ed25519`, `ecdsa` (secp256k1) or `sm2`.
		#[arg(long, value_parser = Scheme::from_str)]
		scheme: Scheme,
		#[arg(long, default_value = "")]
		label: String,
		/// 12, 15, 18, 21 or 24.
		#[arg(long, default_value_t = 12)]
		words: usize,
	},

	/// Import a key from a secret URI: a mnemonic, a `0x` seed or a dev seed such as `//Alice`,
	/// with optional `//hard` derivations.
	Import {
		#[arg(long, value_parser = Scheme::from_str)]
		scheme: Scheme,
		/// The secret URI. Without it, the command asks (so it stays out of the shell history).
		#[arg(long)]
		suri: Option<String>,
		#[arg(long, default_value = "")]
		label: String,
	},

	/// Import a polkadot.js JSON account export (or one of ours for SM2).
	ImportJson {
		/// The exported file.
		file: PathBuf,
		/// A file holding the export's password. Without it, the command asks.
		#[arg(long, value_name = "PATH")]
		json_password_filename: Option<PathBuf>,
		#[arg(long, default_value = "")]
		label: String,
	},

	/// Export an account as polkadot.js JSON, encrypted with a password of its own.
	Export {
		address: String,
		/// A file holding the export's password. Without it, the command asks twice.
		#[arg(long, value_name = "PATH")]
		export_password_filename: Option<PathBuf>,
		/// Write the JSON here rather than to standard output.
		#[arg(long, value_name = "PATH")]
		out: Option<PathBuf>,
	},

	/// List the accounts with their labels (no password needed).
	List,

	/// Set an account's label (no password needed).
	SetLabel { address: String, label: String },

	/// Sign a `0x` hex payload with an account's key; prints the SCALE-encoded signature.
	Sign { address: String, payload: Bytes },
}

/// A password from a file (its first line), or asked for at the terminal.
fn read_password(file: Option<&Path>, prompt: &str, confirm: bool) -> Result<String, String> {
	if let Some(file) = file {
		let text = std::fs::read_to_string(file)
			.map_err(|e| format!("cannot read the password file {}: {e}", file.display()))?;
		return Ok(text.lines().next().unwrap_or_default().to_owned());
	}
	let password = rpassword::prompt_password(prompt).map_err(|e| e.to_string())?;
	if confirm && rpassword::prompt_password("Repeat it: ").map_err(|e| e.to_string())? != password
	{
		return Err("the two passwords differ".into());
	}
	Ok(password)
}

impl WalletCmd {
	/// The wallet folder these options name.
	fn folder(
		&self,
		load_spec: impl Fn(&str) -> Result<String, String>,
	) -> Result<PathBuf, String> {
		if let Some(folder) = &self.wallet_dir {
			return Ok(folder.clone());
		}
		let chain_id = load_spec(&self.chain)?;
		let base = match &self.base_path {
			Some(path) => BasePath::new(path.clone()),
			None => BasePath::from_project(
				"",
				"",
				&<crate::cli::Cli as SubstrateCli>::executable_name(),
			),
		};
		Ok(base.config_dir(&chain_id).join("wallet"))
	}

	fn wallet_password(&self) -> Result<String, String> {
		match &self.password {
			Some(password) => Ok(password.clone()),
			None => read_password(
				self.password_filename.as_deref(),
				"Wallet password: ",
				false,
			),
		}
	}

	/// Opens the wallet and unlocks it with the wallet's password.
	fn unlocked(&self, folder: &Path) -> Result<Wallet, String> {
		let wallet = Wallet::open(folder).map_err(|e| e.to_string())?;
		wallet
			.unlock(&self.wallet_password()?, None)
			.map_err(|e| e.to_string())?;
		Ok(wallet)
	}

	/// Runs the command; `load_spec` gives the id of a chain spec.
	pub fn run(&self, load_spec: impl Fn(&str) -> Result<String, String>) -> Result<(), String> {
		let folder = self.folder(load_spec)?;
		let fail = |e: consortia_wallet::Error| e.to_string();
		match &self.action {
			WalletAction::SetPassword {
				new_password_filename,
			} => {
				let wallet = Wallet::open(&folder).map_err(fail)?;
				let has_password = wallet.status().has_password;
				let old = if has_password {
					Some(self.wallet_password()?)
				} else {
					None
				};
				// A new wallet's first password may come as the wallet's password.
				let given_first = !has_password
					&& new_password_filename.is_none()
					&& (self.password.is_some() || self.password_filename.is_some());
				let new = if given_first {
					self.wallet_password()?
				} else {
					read_password(
						new_password_filename.as_deref(),
						"New wallet password: ",
						true,
					)?
				};
				wallet.set_password(old.as_deref(), &new).map_err(fail)?;
				eprintln!("The wallet's password is set: {}", wallet.path().display());
			}
			WalletAction::Create {
				scheme,
				label,
				words,
			} => {
				let wallet = self.unlocked(&folder)?;
				let (account, mnemonic) = wallet.create(*scheme, label, *words).map_err(fail)?;
				print_json(&account)?;
				eprintln!(
					"Secret phrase, shown once; anyone with it controls the account:\n  {}",
					*mnemonic
				);
			}
			WalletAction::Import {
				scheme,
				suri,
				label,
			} => {
				let wallet = self.unlocked(&folder)?;
				let suri = match suri {
					Some(suri) => suri.clone(),
					None => {
						rpassword::prompt_password("Secret URI: ").map_err(|e| e.to_string())?
					}
				};
				print_json(&wallet.import_uri(*scheme, &suri, label).map_err(fail)?)?;
			}
			WalletAction::ImportJson {
				file,
				json_password_filename,
				label,
			} => {
				let text = std::fs::read_to_string(file)
					.map_err(|e| format!("cannot read {}: {e}", file.display()))?;
				let json: KeyringJson = serde_json::from_str(&text).map_err(|e| {
					format!(
						"{} is not a polkadot.js account export: {e}",
						file.display()
					)
				})?;
				let password = read_password(
					json_password_filename.as_deref(),
					"The export's password: ",
					false,
				)?;
				let wallet = self.unlocked(&folder)?;
				print_json(&wallet.import_json(&json, &password, label).map_err(fail)?)?;
			}
			WalletAction::Export {
				address,
				export_password_filename,
				out,
			} => {
				let wallet = self.unlocked(&folder)?;
				let password = read_password(
					export_password_filename.as_deref(),
					"A password for the export: ",
					true,
				)?;
				let json = wallet.export(address, &password).map_err(fail)?;
				let text = serde_json::to_string_pretty(&json).expect("the export serializes");
				match out {
					Some(out) => std::fs::write(out, text + "\n")
						.map_err(|e| format!("cannot write {}: {e}", out.display()))?,
					None => println!("{text}"),
				}
			}
			WalletAction::List => {
				let wallet = Wallet::open(&folder).map_err(fail)?;
				print_json(&wallet.accounts())?;
			}
			WalletAction::SetLabel { address, label } => {
				let wallet = Wallet::open(&folder).map_err(fail)?;
				print_json(&wallet.set_label(address, label).map_err(fail)?)?;
			}
			WalletAction::Sign { address, payload } => {
				let wallet = self.unlocked(&folder)?;
				let signature = wallet.sign(address, payload).map_err(fail)?;
				println!(
					"{}",
					polkadot_sdk::sp_core::bytes::to_hex(&codec::Encode::encode(&signature), false)
				);
			}
		}
		Ok(())
	}
}

fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
	println!(
		"{}",
		serde_json::to_string_pretty(value).map_err(|e| e.to_string())?
	);
	Ok(())
}
