//! `wallet_*`: the node wallet (crate `consortia-wallet`) over JSON-RPC.
//!
//! Every method is unsafe: refused unless the RPC server allows unsafe methods, which it does
//! by default only on a loopback interface (`--rpc-methods auto`), or with `--rpc-methods
//! unsafe`. Passwords travel in the request, so keep the port local or behind TLS.

use codec::{Decode, Encode};
use consortia_client::{Terms, TxSigner as _};
use consortia_primitives::Scheme;
use consortia_runtime::{opaque::Block, AccountId, Nonce, RuntimeCall};
use consortia_wallet::{AccountInfo, KeyringJson, Status, Wallet};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorCode, ErrorObject, ErrorObjectOwned},
	Extensions,
};
use polkadot_sdk::{
	sc_rpc_api::{author::error::Error as AuthorError, check_if_safe},
	sc_transaction_pool_api::{error::IntoPoolError, TransactionPool, TransactionSource},
	sp_api::{Core, ProvideRuntimeApi},
	sp_block_builder::BlockBuilder,
	sp_blockchain::HeaderBackend,
	sp_core::{Bytes, H256},
	sp_rpc::number::NumberOrHex,
	substrate_frame_rpc_system::{AccountNonceApi, System, SystemApiServer},
};
use serde::Serialize;
use std::{sync::Arc, time::Duration};

/// How long `wallet_unlock` unlocks when the caller names no timeout.
const DEFAULT_UNLOCK_SECS: u64 = 300;
/// Transactions `wallet_transfer` signs are valid for this many blocks from the best one.
const MORTALITY: u64 = 64;

#[rpc(server, namespace = "wallet")]
pub trait WalletApi {
	/// Whether the wallet has a password and is unlocked, how long until it locks itself, and
	/// how many accounts it holds.
	#[method(name = "status", blocking, with_extensions)]
	fn status(&self) -> RpcResult<Status>;

	/// Sets the wallet's first password (`old` null) or changes it (`old` the current one).
	#[method(name = "setPassword", blocking, with_extensions)]
	fn set_password(&self, old: Option<String>, new: String) -> RpcResult<()>;

	/// Unlocks the wallet for `timeoutSecs` seconds (default 300; 0: until `wallet_lock` or the
	/// node stops).
	#[method(name = "unlock", blocking, with_extensions)]
	fn unlock(
		&self,
		password: String,
		#[argument(rename = "timeoutSecs")] timeout_secs: Option<u64>,
	) -> RpcResult<Status>;

	/// Locks the wallet: its key leaves the node's memory.
	#[method(name = "lock", blocking, with_extensions)]
	fn lock(&self) -> RpcResult<Status>;

	/// Creates an account of `scheme` (`sr25519`, `ed25519`, `ecdsa` or `sm2`) from a new
	/// BIP39 mnemonic of `words` words (default 12), returned once: write it down.
	#[method(name = "createAccount", blocking, with_extensions)]
	fn create_account(
		&self,
		scheme: String,
		label: Option<String>,
		words: Option<usize>,
	) -> RpcResult<CreatedAccount>;

	/// Imports the key a secret URI names: a mnemonic, a `0x` seed, or a dev seed like
	/// `//Alice`, with optional `//hard` derivations.
	#[method(name = "importSecret", blocking, with_extensions)]
	fn import_secret(
		&self,
		scheme: String,
		#[argument(rename = "secretUri")] secret_uri: String,
		label: Option<String>,
	) -> RpcResult<AccountInfo>;

	/// Imports a polkadot.js JSON account export (or one of ours for SM2), encrypted with
	/// `password`.
	#[method(name = "importJson", blocking, with_extensions)]
	fn import_json(
		&self,
		json: KeyringJson,
		password: String,
		label: Option<String>,
	) -> RpcResult<AccountInfo>;

	/// Exports an account as polkadot.js JSON encrypted with `password`.
	#[method(name = "exportAccount", blocking, with_extensions)]
	fn export_account(&self, address: String, password: String) -> RpcResult<KeyringJson>;

	/// The wallet's accounts with their labels (also while locked).
	#[method(name = "listAccounts", blocking, with_extensions)]
	fn list_accounts(&self) -> RpcResult<Vec<AccountInfo>>;

	/// Sets an account's label (also while locked).
	#[method(name = "setLabel", blocking, with_extensions)]
	fn set_label(&self, address: String, label: String) -> RpcResult<AccountInfo>;

	/// Signs `payload` with an account's key: the SCALE-encoded chain signature, whose first
	/// byte is the scheme.
	#[method(name = "sign", blocking, with_extensions)]
	fn sign(&self, address: String, payload: Bytes) -> RpcResult<Bytes>;

	/// Builds a transfer of `amount` from a wallet account to `dest`, signs it with the next
	/// nonce and submits it to this node's pool; returns the transaction's hash. With a
	/// `memo`, it is `wallet.transferWithMemo` (the memo recorded in an event), else
	/// `balances.transferKeepAlive`.
	#[method(name = "transfer", with_extensions)]
	async fn transfer(
		&self,
		from: String,
		dest: String,
		amount: NumberOrHex,
		memo: Option<String>,
	) -> RpcResult<H256>;
}

/// A new account and the mnemonic it came from.
#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct CreatedAccount {
	#[serde(flatten)]
	pub account: AccountInfo,
	pub mnemonic: String,
}

/// Error codes: 7000 + the cause, so callers can tell a locked wallet from a wrong password.
fn wallet_error(error: consortia_wallet::Error) -> ErrorObjectOwned {
	use consortia_wallet::Error::*;
	let code = match &error {
		Locked => 7001,
		WrongPassword => 7002,
		NoPassword => 7003,
		HasPassword => 7004,
		WeakPassword => 7005,
		UnknownAccount(_) => 7006,
		AccountExists(_) => 7007,
		InvalidAddress(_) | InvalidSecret(_) | InvalidLabel | LabelTaken(_)
		| InvalidWordCount(_) | InvalidJson(_) => 7008,
		InUse(_) | Corrupt(_) | Io(_) => 7009,
	};
	ErrorObject::owned(code, error.to_string(), None::<()>)
}

fn invalid_params(message: impl Into<String>) -> ErrorObjectOwned {
	ErrorObject::owned(ErrorCode::InvalidParams.code(), message.into(), None::<()>)
}

fn parse_scheme(name: &str) -> RpcResult<Scheme> {
	name.parse().map_err(invalid_params)
}

/// Serves `wallet_*` from the node's wallet.
pub struct WalletRpc<C, P> {
	wallet: Arc<Wallet>,
	client: Arc<C>,
	pool: Arc<P>,
	/// Held from reading a nonce to submitting the transaction that uses it, so concurrent
	/// transfers from one account take consecutive nonces.
	submitting: tokio::sync::Mutex<()>,
}

impl<C, P> WalletRpc<C, P> {
	pub fn new(wallet: Arc<Wallet>, client: Arc<C>, pool: Arc<P>) -> Self {
		Self {
			wallet,
			client,
			pool,
			submitting: Default::default(),
		}
	}
}

#[async_trait::async_trait]
impl<C, P> WalletApiServer for WalletRpc<C, P>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: AccountNonceApi<Block, AccountId, Nonce> + BlockBuilder<Block> + Core<Block>,
	P: TransactionPool<Block = Block, Hash = H256> + 'static,
{
	fn status(&self, ext: &Extensions) -> RpcResult<Status> {
		check_if_safe(ext)?;
		Ok(self.wallet.status())
	}

	fn set_password(&self, ext: &Extensions, old: Option<String>, new: String) -> RpcResult<()> {
		check_if_safe(ext)?;
		self.wallet
			.set_password(old.as_deref(), &new)
			.map_err(wallet_error)
	}

	fn unlock(
		&self,
		ext: &Extensions,
		password: String,
		timeout_secs: Option<u64>,
	) -> RpcResult<Status> {
		check_if_safe(ext)?;
		let timeout = match timeout_secs.unwrap_or(DEFAULT_UNLOCK_SECS) {
			0 => None,
			secs => Some(Duration::from_secs(secs)),
		};
		self.wallet
			.unlock(&password, timeout)
			.map_err(wallet_error)?;
		Ok(self.wallet.status())
	}

	fn lock(&self, ext: &Extensions) -> RpcResult<Status> {
		check_if_safe(ext)?;
		self.wallet.lock();
		Ok(self.wallet.status())
	}

	fn create_account(
		&self,
		ext: &Extensions,
		scheme: String,
		label: Option<String>,
		words: Option<usize>,
	) -> RpcResult<CreatedAccount> {
		check_if_safe(ext)?;
		let (account, mnemonic) = self
			.wallet
			.create(
				parse_scheme(&scheme)?,
				label.as_deref().unwrap_or_default(),
				words.unwrap_or(12),
			)
			.map_err(wallet_error)?;
		Ok(CreatedAccount {
			account,
			mnemonic: mnemonic.to_string(),
		})
	}

	fn import_secret(
		&self,
		ext: &Extensions,
		scheme: String,
		secret_uri: String,
		label: Option<String>,
	) -> RpcResult<AccountInfo> {
		check_if_safe(ext)?;
		let label = label.as_deref().unwrap_or_default();
		self.wallet
			.import_uri(parse_scheme(&scheme)?, &secret_uri, label)
			.map_err(wallet_error)
	}

	fn import_json(
		&self,
		ext: &Extensions,
		json: KeyringJson,
		password: String,
		label: Option<String>,
	) -> RpcResult<AccountInfo> {
		check_if_safe(ext)?;
		let label = label.as_deref().unwrap_or_default();
		self.wallet
			.import_json(&json, &password, label)
			.map_err(wallet_error)
	}

	fn export_account(
		&self,
		ext: &Extensions,
		address: String,
		password: String,
	) -> RpcResult<KeyringJson> {
		check_if_safe(ext)?;
		self.wallet
			.export(&address, &password)
			.map_err(wallet_error)
	}

	fn list_accounts(&self, ext: &Extensions) -> RpcResult<Vec<AccountInfo>> {
		check_if_safe(ext)?;
		Ok(self.wallet.accounts())
	}

	fn set_label(
		&self,
		ext: &Extensions,
		address: String,
		label: String,
	) -> RpcResult<AccountInfo> {
		check_if_safe(ext)?;
		self.wallet
			.set_label(&address, &label)
			.map_err(wallet_error)
	}

	fn sign(&self, ext: &Extensions, address: String, payload: Bytes) -> RpcResult<Bytes> {
		check_if_safe(ext)?;
		Ok(self
			.wallet
			.sign(&address, &payload)
			.map_err(wallet_error)?
			.encode()
			.into())
	}

	async fn transfer(
		&self,
		ext: &Extensions,
		from: String,
		dest: String,
		amount: NumberOrHex,
		memo: Option<String>,
	) -> RpcResult<H256> {
		check_if_safe(ext)?;
		let dest = consortia_wallet::parse_address(&dest).map_err(wallet_error)?;
		let amount: u128 = amount
			.try_into()
			.map_err(|_| invalid_params("the amount is not a non-negative 128-bit number"))?;
		let call = match memo {
			None => consortia_client::transfer(&dest, amount),
			Some(memo) => {
				RuntimeCall::Wallet(consortia_runtime::pallet_wallet::Call::transfer_with_memo {
					dest: dest.into(),
					amount,
					memo: memo.into_bytes().try_into().map_err(|_| {
						invalid_params("the memo is longer than the chain's limit (1024 bytes)")
					})?,
				})
			}
		};
		let signer = self.wallet.signer(&from).map_err(wallet_error)?;

		// Signed for the runtime at the best block, with the nonce that counts this node's
		// pending transactions (`system_accountNextIndex`).
		let _turn = self.submitting.lock().await;
		let info = self.client.info();
		let version = self
			.client
			.runtime_api()
			.version(info.best_hash)
			.map_err(|e| {
				ErrorObject::owned(ErrorCode::InternalError.code(), e.to_string(), None::<()>)
			})?;
		let nonce = System::new(self.client.clone(), self.pool.clone())
			.nonce(signer.account())
			.await?;
		let terms = Terms::immortal(nonce, info.genesis_hash)
			.versions(version.spec_version, version.transaction_version)
			.mortal(MORTALITY, info.best_number, info.best_hash);
		let xt = consortia_client::sign_with(call, &signer, &terms, info.genesis_hash);
		let xt = Decode::decode(&mut &xt.encode()[..]).expect("an extrinsic decodes as opaque");
		// The pool's refusals read as `author_submitExtrinsic`'s do.
		self.pool
			.submit_one(info.best_hash, TransactionSource::Local, xt)
			.await
			.map_err(|e| {
				e.into_pool_error()
					.map(AuthorError::Pool)
					.unwrap_or_else(|e| AuthorError::Verification(Box::new(e)))
					.into()
			})
	}
}
